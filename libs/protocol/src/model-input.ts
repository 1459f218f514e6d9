/**
 * Input kinds a model accepts, lower-case as in the OpenClaw config (`input: ["text", "image"]`).
 * The config schema, the job-data schema and discovery's mapping of Bedrock's modalities all
 * take the list from here.
 */
export const modelInputs = ['text', 'image', 'document', 'video'] as const;

/** One input kind a model accepts. */
export type ModelInput = (typeof modelInputs)[number];
