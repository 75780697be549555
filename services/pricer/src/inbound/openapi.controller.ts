import { Controller, Get } from '@nestjs/common';
import { pricerOpenApi } from './budget.routes';

/** GET /openapi.json: the gateway API's description, generated once from the route schemas. */
@Controller()
export class OpenApiController {
  private readonly document = pricerOpenApi();

  @Get('openapi.json')
  openapi(): unknown {
    return this.document;
  }
}
