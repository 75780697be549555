export {
  BudgetClient,
  type BudgetAnswer,
  type BudgetClientOptions,
  type BudgetQuestion,
} from './budget-client';
export { CallRecorder, InvalidCallEventError, type RecorderOptions } from './recorder';
export {
  fromAnthropic,
  fromAzureOpenAI,
  fromBedrockConverse,
  fromGemini,
  fromOpenAIChat,
  fromOpenAIResponses,
} from '@tokentally/domain-enrichment';
export type { RawCallEvent, RawUsage } from '@tokentally/contracts';
