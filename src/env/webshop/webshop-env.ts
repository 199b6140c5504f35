// One WebShop session in text mode (WebAgentTextEnv with human goals): actions `search[...]` / `click[...]`,
// the page re-rendered to HTML and read back as text after every step, invalid actions repeating the page,
// and the purchase reward on `click[Buy Now]`. No step limit of its own (ETO's harness caps at 10).
import { EnvError } from '../../errors.ts';
import type { Env, EnvInfo, ResetOptions, ResetResult, StepResult } from '../types.ts';
import { goalAt, type Shop } from './catalog.ts';
import { htmlToText, type PageText } from './html-text.ts';
import { renderPage, type Links, type View } from './pages.ts';
import { webshopRewardDetails, type RewardDetails } from './reward.ts';
import type { Goal, Product } from './types.ts';

export const SEARCH_RETURN_N = 50;

const NO_LINKS: Links = { click: () => '#', search: () => '#' };

interface Session {
  taskId: string;
  goal: Goal;
  view: View;
  /** Option name → value selected on the current product. */
  options: Record<string, string>;
  page: PageText;
  done: boolean;
  reward: RewardDetails | undefined;
}

/** `re.match(r'(.+)\[(.+)\]', action)`: greedy, anchored at the start, `.` stops at a newline. */
export function parseWebAction(action: string): { name: string; argument: string | undefined } {
  const match = /^(.+)\[(.+)\]/.exec(action);
  if (!match) return { name: action, argument: undefined };
  return { name: match[1]!, argument: match[2]!.toLowerCase() };
}

export class WebShopEnv implements Env {
  readonly name = 'webshop';
  private session: Session | undefined;

  constructor(readonly shop: Shop) {}

  private current(): Session {
    if (!this.session) throw new EnvError('webshop: call reset() before step()');
    return this.session;
  }

  get goal(): Goal {
    return this.current().goal;
  }
  get view(): View {
    return this.current().view;
  }
  get selectedOptions(): Readonly<Record<string, string>> {
    return this.current().options;
  }
  get clickables(): string[] {
    return [...this.current().page.clickables.keys()].filter((key) => key !== 'search');
  }
  product(asin: string): Product | undefined {
    return this.shop.catalog.byAsin.get(asin);
  }

  /** The ASINs a search for `keywords` lists (top 50, engine order). */
  search(keywords: string): string[] {
    return this.shop.index.search(keywords, SEARCH_RETURN_N).map((hit) => this.shop.catalog.products[hit.index]!.asin);
  }

  reset(options: ResetOptions): ResetResult {
    const goal = goalAt(this.shop, options.split, options.task);
    const taskId = `${options.split}/${options.task}`;
    this.session = { taskId, goal, view: { kind: 'search' }, options: {}, page: { text: '', clickables: new Map() }, done: false, reward: undefined };
    this.render();
    return { observation: this.session.page.text, info: this.info(false) };
  }

  /** The current page as HTML with the given links (the web UI); the text env renders with dead links. */
  html(links: Links): string {
    const session = this.current();
    return renderPage(session.view, session.goal.instructionText, this.shop.catalog.byAsin, session.options, links);
  }

  get observation(): string {
    return this.current().page.text;
  }

  get done(): boolean {
    return this.current().done;
  }

  step(action: string): StepResult {
    const session = this.current();
    if (session.done) throw new EnvError('webshop: step() after the purchase ended the episode; call reset() first');
    const { name, argument } = parseWebAction(action);
    let valid = false;
    if (name === 'search' && argument !== undefined && argument !== '') {
      this.goTo({ kind: 'results', keywords: argument, page: 1, asins: this.search(argument) });
      valid = true;
    } else if (name === 'click' && argument !== undefined && argument !== 'search' && session.page.clickables.has(argument)) {
      this.click(argument);
      valid = true;
    }
    if (valid) this.render();
    const reward = session.done ? (session.reward?.reward ?? 0) : 0;
    return { observation: session.page.text, reward, terminated: session.done, truncated: false, info: this.info(!valid) };
  }

  private info(invalid: boolean): EnvInfo {
    const session = this.current();
    const info: EnvInfo = {
      taskId: session.taskId,
      validActions: session.done ? [] : session.view.kind === 'search' ? [this.sampleSearch()] : this.clickables.map((key) => `click[${key}]`),
      invalidAction: invalid,
      instruction: session.goal.instructionText,
      taskType: session.goal.category,
      page: session.view.kind,
      hasSearchBar: session.view.kind === 'search',
    };
    if (session.done && session.reward) {
      info.score = session.reward.reward;
      info.won = session.reward.reward === 1;
      info.rewardDetails = session.reward;
    }
    return info;
  }

  /** Any non-empty search is admissible; the listed one searches the instruction's own words. */
  private sampleSearch(): string {
    const words = this.current().goal.instructionText.replace(/,? and price lower than [\d.]+ dollars$/, '').replace(/[[\]]/g, ' ').trim();
    return `search[${words || 'shop'}]`;
  }

  private goTo(view: View): void {
    const session = this.current();
    // a search, Back to Search and returning to the results all go through a fresh results render
    if (view.kind === 'search' || view.kind === 'results') session.options = {};
    session.view = view;
  }

  private click(key: string): void {
    const session = this.current();
    const target = session.page.clickables.get(key)!;
    const view = session.view;
    if (target.type === 'product') {
      if (view.kind === 'results') this.goTo({ kind: 'item', asin: target.asin, keywords: view.keywords, page: view.page, asins: view.asins });
      return;
    }
    if (target.type === 'option') {
      session.options[target.name] = target.value;
      return;
    }
    if (key === 'back to search') this.goTo({ kind: 'search' });
    else if (view.kind === 'results' && (key === 'next >' || key === '< prev')) {
      this.goTo({ ...view, page: view.page + (key === 'next >' ? 1 : -1) });
    } else if (view.kind === 'item' && key === '< prev') {
      this.goTo({ kind: 'results', keywords: view.keywords, page: view.page, asins: view.asins });
    } else if ((view.kind === 'description' || view.kind === 'features' || view.kind === 'reviews') && key === '< prev') {
      this.goTo({ ...view, kind: 'item' });
    } else if (view.kind === 'item' && (key === 'description' || key === 'features' || key === 'reviews')) {
      this.goTo({ ...view, kind: key });
    } else if (view.kind === 'item' && key === 'buy now') {
      this.purchase(view.asin);
    }
  }

  private purchase(asin: string): void {
    const session = this.current();
    const product = this.shop.catalog.byAsin.get(asin)!;
    const price = this.shop.catalog.prices.get(asin)!;
    session.reward = webshopRewardDetails(session.goal, product, session.options, price);
    session.view = { kind: 'done', asin, options: { ...session.options }, reward: session.reward.reward };
    session.done = true;
  }

  private render(): void {
    const session = this.current();
    session.page = htmlToText(renderPage(session.view, session.goal.instructionText, this.shop.catalog.byAsin, session.options, NO_LINKS));
  }
}
