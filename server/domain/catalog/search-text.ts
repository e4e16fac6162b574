// Full-text search over Chinese and English with PostgreSQL's 'simple' configuration, which
// PGlite ships too: English is split into lower-case words; Chinese, which has no spaces, into
// overlapping character bigrams (as Lucene's CJK analyser does), so "交通流量" matches "交通",
// "通流" and "流量". Documents and queries are tokenised by the same function.

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;
const TOKEN = /[\p{L}\p{N}]+/gu;

export function searchTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const [word] of text.normalize('NFKC').toLowerCase().matchAll(TOKEN)) {
    let run = '';
    const flush = () => {
      if (run.length === 1) tokens.push(run);
      for (let i = 0; i + 1 < run.length; i++) tokens.push(run.slice(i, i + 2));
      run = '';
    };
    let latin = '';
    for (const ch of word) {
      if (CJK.test(ch)) {
        if (latin) tokens.push(latin), (latin = '');
        run += ch;
      } else {
        if (run) flush();
        latin += ch;
      }
    }
    if (run) flush();
    if (latin) tokens.push(latin);
  }
  return tokens;
}

/** The document stored with a version: its tokens, space-separated. */
export function searchDocument(parts: (string | undefined | null)[]): string {
  return [...new Set(parts.flatMap((p) => (p ? searchTokens(p) : [])))].join(' ');
}

/** The query as space-separated tokens, for plainto_tsquery('simple', …) (all must match). */
export function searchQuery(text: string): string {
  return [...new Set(searchTokens(text))].slice(0, 32).join(' ');
}
