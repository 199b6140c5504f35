// Chat templates of imported checkpoints: reading, rendering (transformers' conventions), assistant masks, stops.
export { assistantSpans, type AssistantSpan, type RenderedTurns } from './assistant-spans.ts';
export { type ChatFormat, type EncodedChat, templateChatFormat } from './chat-format.ts';
export { type CharSpan, type ChatTemplate, type CompileOptions, compileChatTemplate, type RenderedChat } from './chat-template.ts';
export { readStopTokens, type StopTokens } from './stop-tokens.ts';
export { type ChatTemplateSource, readChatTemplate } from './template-source.ts';
export { type MaskedTokens, spansToTokenMask, type TextTokenizer } from './token-mask.ts';
