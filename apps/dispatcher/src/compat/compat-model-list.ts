/** A catalog entry as the model routes read it. */
export interface ListedModel {
  id: string;
  name: string;
  provider: string;
}

/** The catalog's models followed by the configured aliases (alias → the ref's model id), for the compat model lists. */
export function compatModelList(
  entries: readonly object[],
  aliases: Readonly<Record<string, string>>,
): (ListedModel & { aliasOf?: string })[] {
  const models: (ListedModel & { aliasOf?: string })[] = entries
    .filter((e): e is ListedModel => typeof (e as ListedModel).id === 'string')
    .map((e) => ({
      id: e.id,
      name: typeof e.name === 'string' ? e.name : e.id,
      provider: typeof e.provider === 'string' ? e.provider : 'amazon-bedrock',
    }));
  const byId = new Map(models.map((m) => [m.id, m]));
  for (const [alias, ref] of Object.entries(aliases)) {
    const target = byId.get(ref.replace(/^amazon-bedrock\//, ''));
    if (target) models.push({ id: alias, name: `${alias} (${target.name})`, provider: target.provider, aliasOf: target.id });
  }
  return models;
}
