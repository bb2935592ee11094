// The bench's drivers' ID tags, registered through the REST API before the load starts: one card per
// simulated driver, as on a real site, since a tag may be in one session at a time (ConcurrentTx).

export async function registerBenchTags(apiUrl: string, apiKey: string, tags: string[], concurrency = 20): Promise<void> {
  let next = 0;
  const register = async () => {
    while (next < tags.length) {
      const tag = tags[next++];
      const response = await fetch(`${apiUrl}/api/v1/id-tags/${encodeURIComponent(tag)}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'Accepted' }),
      });
      if (!response.ok) throw new Error(`could not create the bench ID tag ${tag}: HTTP ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tags.length) }, register));
}
