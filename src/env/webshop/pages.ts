// The shop's pages as one model rendered to HTML (the same markup serves the text env and the browser):
// search, results, item, description, features, reviews and done, laid out like WebShop's templates so
// that html-text.ts yields WebShop's text observations. Links come from a `Links` callback.
import { escapeHtml as esc } from './html-text.ts';
import { priceText, pyFloat } from './pricing.ts';
import type { Product } from './types.ts';

/** The item page and its sub-pages remember the search they came from (for `< Prev`). */
export interface ProductView {
  kind: 'item' | 'description' | 'features' | 'reviews';
  asin: string;
  keywords: string;
  page: number;
  /** The search's hits, so `< Prev` returns to them without searching again. */
  asins: string[];
}
export interface ResultsView {
  kind: 'results';
  keywords: string;
  page: number;
  /** Every hit of the search (at most 50), in rank order. */
  asins: string[];
}
export interface DoneView {
  kind: 'done';
  asin: string;
  options: Record<string, string>;
  reward: number;
}
export type View = { kind: 'search' } | ResultsView | ProductView | DoneView;

/** Where a click or a search goes; the text env passes `() => '#'`. */
export interface Links {
  click(value: string): string;
  search(): string;
}

export const RESULTS_PER_PAGE = 10;

const button = (links: Links, label: string): string =>
  `<form method="get" action="${esc(links.click(label.toLowerCase()))}"><button type="submit" class="btn">${esc(label)}</button></form>`;

function shell(instruction: string | undefined, body: string): string {
  const instructionBlock = instruction === undefined ? '' : `<div id="instruction-text"><h4>Instruction:<br></h4><h4>${esc(instruction)}</h4></div>`;
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>WebShop</title><style>${STYLE}</style></head><body>${instructionBlock}${body}</body></html>`;
}

function resultsBody(view: ResultsView, products: Map<string, Product>, links: Links): string {
  const start = (view.page - 1) * RESULTS_PER_PAGE;
  const shown = view.asins.slice(start, start + RESULTS_PER_PAGE);
  const items = shown
    .map((asin) => {
      const product = products.get(asin)!;
      return `<div class="result"><a class="product-link" href="${esc(links.click(asin.toLowerCase()))}">${esc(asin)}</a><h4>${esc(product.name)}</h4><h5>${esc(priceText(product.pricing))}</h5></div>`;
    })
    .join('');
  const prev = view.page > 1 ? button(links, '< Prev') : '';
  return `${button(links, 'Back to Search')}<div class="pager"><span>Page ${view.page} (Total results: ${view.asins.length})</span>${prev}${button(links, 'Next >')}</div>${items}`;
}

function itemBody(product: Product, selected: Record<string, string>, links: Links): string {
  const options = Object.entries(product.options)
    .map(([name, values]) => {
      const radios = values
        .map((value) => {
          const checked = selected[name] === value ? ' checked' : '';
          const href = links.click(value);
          return `<label class="option"><input type="radio" name="${esc(name)}" value="${esc(value)}"${checked} data-href="${esc(href)}" onchange="location.href=this.dataset.href">${esc(value)}</label>`;
        })
        .join('');
      return `<div class="option-group"><h4>${esc(name)}</h4>${radios}</div>`;
    })
    .join('');
  const details = `<h2>${esc(product.name)}</h2><h4>Price: ${esc(priceText(product.pricing))}</h4><h4>Rating: N.A.</h4>`;
  const tabs = ['Description', 'Features', 'Reviews'].map((label) => button(links, label)).join('');
  return `${button(links, 'Back to Search')}${button(links, '< Prev')}${options}${details}${tabs}${button(links, 'Buy Now')}`;
}

function subPageBody(view: ProductView, product: Product, links: Links): string {
  let content = '';
  if (view.kind === 'description') content = product.description.trim() === '' ? '' : `<p>${esc(product.description)}</p>`;
  if (view.kind === 'features') content = `<ul>${product.bulletPoints.map((b) => `<li>${esc(b)}</li>`).join('')}</ul>`;
  return `${button(links, 'Back to Search')}${button(links, '< Prev')}${content}`;
}

/** Python json.dumps of a str→str dict (`{"size": "xl"}`), ASCII-escaped like Python's default. */
function pyJsonDict(options: Record<string, string>): string {
  const quote = (s: string): string => JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `{${Object.entries(options).map(([k, v]) => `${quote(k)}: ${quote(v)}`).join(', ')}}`;
}

function doneBody(view: DoneView): string {
  return (
    '<h1>Thank you for shopping with us!</h1><h3>Your code: </h3><h3>None</h3><h3>(Paste it in your MTurk interface.)</h3>' +
    `<div id="purchased"><h2>Purchased</h2><h4>asin</h4><h4 id="purchased-asin">${esc(view.asin)}</h4><h4>options</h4><h4>${esc(pyJsonDict(view.options))}</h4></div>` +
    `<h3>Your score (min 0.0, max 1.0)</h3><h3 id="reward">${esc(pyFloat(view.reward))}</h3><h4>Reward Details</h4><h4>None</h4>`
  );
}

/** The page's HTML. `instruction` is the goal's instruction text. */
export function renderPage(view: View, instruction: string, products: Map<string, Product>, selected: Record<string, string>, links: Links): string {
  switch (view.kind) {
    case 'search':
      return shell(
        undefined,
        `<h1>WebShop</h1><div id="instruction-text"><h4>Instruction:<br></h4><h4>${esc(instruction)}</h4></div>` +
          `<form method="get" action="${esc(links.search())}"><input type="text" name="keywords" placeholder="Search..." autofocus><button type="submit" class="btn">Search</button></form>`,
      );
    case 'results':
      return shell(instruction, resultsBody(view, products, links));
    case 'item':
      return shell(instruction, itemBody(products.get(view.asin)!, selected, links));
    case 'description':
    case 'features':
    case 'reviews':
      return shell(instruction, subPageBody(view, products.get(view.asin)!, links));
    case 'done':
      return shell(undefined, doneBody(view));
  }
}

const STYLE =
  'body{font-family:sans-serif;max-width:900px;margin:2em auto}form{display:inline-block;margin:2px}' +
  '.result{border-top:1px solid #ddd;padding:4px 0}.option{margin-right:1em}.btn{cursor:pointer}';
