// Imported first by main.ts: the AWS SDK prints a multi-line Node-version warning when it loads
// on Node 20; the bench output is tables, so silence it before any SDK module is evaluated.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
export {};
