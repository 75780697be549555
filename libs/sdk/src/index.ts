export {
  CallRecorder,
  InvalidCallEventError,
  UndeliveredCallsError,
  type RecorderOptions,
  type RetryOptions,
} from './recorder';
export {
  BudgetClient,
  type BudgetAnswer,
  type BudgetClientOptions,
  type BudgetQuestion,
} from './budget-client';
export {
  fromAnthropic,
  fromAzureOpenAI,
  fromBedrockConverse,
  fromGemini,
  fromOpenAIChat,
  fromOpenAIResponses,
} from '@tokentally/domain-enrichment';
export type { RawCallEvent, RawUsage } from '@tokentally/contracts';
