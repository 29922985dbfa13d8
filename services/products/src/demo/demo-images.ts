const LINE_LENGTH = 24;
const MAX_LINES = 2;
const ELLIPSIS = '…';

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => XML_ENTITIES[ch]!);
}

// FNV-1a: a stable hash so a category keeps its colour across restarts and machines.
function hashText(text: string): number {
  let hash = 2166136261;
  for (const ch of text) hash = Math.imul(hash ^ ch.codePointAt(0)!, 16777619);
  return hash >>> 0;
}

// Hand-picked so the demo categories look clearly apart; mid-dark so white text stays readable.
const PALETTE = new Map<string, string>([
  ['Electronics', '#1f5f9e'],
  ['Books', '#8a5a19'],
  ['Home & Kitchen', '#b5483a'],
  ['Garden', '#2e7d32'],
  ['Toys', '#c2185b'],
  ['Sports', '#00796b'],
  ['Beauty', '#8e3b8e'],
  ['Grocery', '#6b7a1a'],
  ['Clothing', '#3949ab'],
  ['Shoes', '#5d4037'],
  ['Office', '#455a64'],
  ['Pets', '#d35400'],
]);

/** Palette colour for known categories; any other category still gets a stable colour from its hash. */
function pickBackground(category: string): string {
  const known = PALETTE.get(category);
  if (known) return known;
  const hash = hashText(category);
  return `hsl(${hash % 360}, ${45 + ((hash >>> 9) % 20)}%, ${32 + ((hash >>> 17) % 12)}%)`;
}

function cutWithEllipsis(line: string): string {
  return line.length < LINE_LENGTH ? `${line}${ELLIPSIS}` : `${line.slice(0, LINE_LENGTH - 1).trimEnd()}${ELLIPSIS}`;
}

/** Greedy word wrap; words longer than a line are hard-cut rather than overflowing the image. */
export function wrapName(name: string): string[] {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    let rest = word;
    while (rest.length > 0) {
      const candidate = current ? `${current} ${rest}` : rest;
      if (candidate.length <= LINE_LENGTH) {
        current = candidate;
        rest = '';
      } else if (current) {
        lines.push(current);
        current = '';
      } else {
        lines.push(rest.slice(0, LINE_LENGTH));
        rest = rest.slice(LINE_LENGTH);
      }
      if (lines.length === MAX_LINES) return [...lines.slice(0, -1), cutWithEllipsis(lines.at(-1)!)];
    }
  }
  if (current) lines.push(current);
  return lines;
}

/** A placeholder product image: category colour, a badge shape and the name, with no external resources. */
export function renderProductSvg(input: { sku: string; name: string; category: string }): string {
  const background = pickBackground(input.category);
  // Wrap before escaping so a cut never lands inside an entity such as &amp;.
  const lines = wrapName(input.name).map(escapeXml);
  const firstY = lines.length > 1 ? 210 : 225;
  const text = lines
    .map(
      (line, i) =>
        `<text x="200" y="${firstY + i * 30}" font-size="24" font-weight="600" fill="#fff" text-anchor="middle">${line}</text>`,
    )
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300" role="img" aria-label="${escapeXml(input.name)}">`,
    `<rect width="400" height="300" fill="${background}"/>`,
    '<circle cx="200" cy="110" r="62" fill="#fff" fill-opacity="0.22"/>',
    '<rect x="170" y="80" width="60" height="60" rx="12" fill="#fff" fill-opacity="0.5"/>',
    `<g font-family="sans-serif">${text}`,
    `<text x="200" y="285" font-size="13" fill="#fff" fill-opacity="0.8" text-anchor="middle">${escapeXml(input.sku)}</text></g>`,
    '</svg>',
  ].join('');
}
