import { createHash } from 'node:crypto';
import { importAnthropicCostReport, importAnthropicUsageReport } from './anthropic.importer';
import { importAwsCur } from './aws-cur.importer';
import { importAzureCost } from './azure-cost.importer';
import type { ImportOptions, ImportResult } from './export-rows';
import { importFocus } from './focus.importer';
import { importGcpBilling } from './gcp-billing.importer';
import { importOpenAiCosts, importOpenAiUsage } from './openai.importer';

/** The formats `tally reconcile import --format` and the upload route accept. */
export const IMPORT_FORMATS = {
  'openai-costs': importOpenAiCosts,
  'openai-usage': importOpenAiUsage,
  'anthropic-cost-report': importAnthropicCostReport,
  'anthropic-usage-report': importAnthropicUsageReport,
  'aws-cur': importAwsCur,
  'gcp-billing': importGcpBilling,
  'azure-cost': importAzureCost,
  focus: importFocus,
} as const satisfies Record<string, (content: string, options?: ImportOptions) => ImportResult>;

export type ImportFormat = keyof typeof IMPORT_FORMATS;

export function isImportFormat(value: string): value is ImportFormat {
  return Object.hasOwn(IMPORT_FORMATS, value);
}

export function importExport(
  format: ImportFormat,
  content: string,
  options: ImportOptions = {},
): ImportResult {
  return IMPORT_FORMATS[format](content, options);
}

/** The id of one import: the same file, format and account twice is the same import. */
export function importIdOf(format: ImportFormat, accountId: string | undefined, content: string): string {
  return createHash('sha256')
    .update(`${format}\u001f${accountId ?? ''}\u001f`)
    .update(content)
    .digest('hex')
    .slice(0, 32);
}
