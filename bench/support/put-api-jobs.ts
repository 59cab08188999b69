/** One bulk `PUT /api/jobs` of a benchmark: throws unless the daemon answered 200. */
export async function putApiJobs(
  url: string,
  token: string,
  jobs: readonly { readonly name: string; readonly entry: unknown }[],
): Promise<void> {
  const response = await fetch(`${url}/api/jobs`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(jobs),
  });
  if (response.status !== 200)
    throw new Error(`PUT /api/jobs answered ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
}
