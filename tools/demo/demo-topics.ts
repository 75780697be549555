// Imported first by demo.ts: the demo runs on topics of its own (`demo.llm.calls.raw.v1`, ...), so a
// later `npm start` on the default topics never books the demo's calls into your database.
process.env['TOKENTALLY_TOPIC_PREFIX'] ??= 'demo.';

export {};
