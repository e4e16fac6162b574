// Files the browser saves: text made on the page, or a file the API serves behind the API key
// (a plain link cannot carry the Authorization header).

export function saveText(name: string, type: string, text: string | Blob): void {
  const url = URL.createObjectURL(typeof text === 'string' ? new Blob([text], { type }) : text);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export async function downloadWithKey(apiKey: string | null, path: string, name: string): Promise<void> {
  const res = await fetch(path, { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { message?: string } | null;
    throw new Error(body?.message ?? `HTTP ${res.status}`);
  }
  saveText(name, res.headers.get('content-type') ?? 'application/octet-stream', await res.blob());
}
