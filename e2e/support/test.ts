import { test as base, expect, type Page } from "@playwright/test";

// Every spec imports `test` and `expect` from here. A page error, a console error or a 4xx/5xx
// answer the spec did not announce fails the test after it ran: the UI must neither crash nor
// hit the server with requests it does not handle. A step that expects a refusal says so first
// with `pageWatch.allowHttpError(/path/, status)`.

class PageWatch {
  readonly problems: string[] = [];
  private readonly allowedAnswers: { url: RegExp; status: number }[] = [];
  private readonly allowedConsole: RegExp[] = [];

  /** Allows answers with this status whose URL matches, for the rest of the test. */
  allowHttpError(url: RegExp, status: number) {
    this.allowedAnswers.push({ url, status });
  }

  /** Allows a console error whose text matches. */
  allowConsoleError(text: RegExp) {
    this.allowedConsole.push(text);
  }

  watch(page: Page) {
    page.on("pageerror", (error) => {
      this.problems.push(`page error: ${error.message}`);
    });
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      const text = message.text();
      // Chromium logs every failed fetch; the response check below decides whether it was expected.
      if (text.startsWith("Failed to load resource")) return;
      if (this.allowedConsole.some((pattern) => pattern.test(text))) return;
      this.problems.push(`console error: ${text}`);
    });
    page.on("response", (response) => {
      const status = response.status();
      if (status < 400) return;
      const url = response.url();
      if (this.allowedAnswers.some((allowed) => allowed.status === status && allowed.url.test(url))) return;
      this.problems.push(`unexpected ${status} from ${response.request().method()} ${url}`);
    });
  }
}

export const test = base.extend<{ pageWatch: PageWatch }>({
  // Playwright's fixture callback is named `provide` here: ESLint's React rules take `use` for a hook.
  pageWatch: async ({}, provide) => {
    await provide(new PageWatch());
  },
  page: async ({ page, pageWatch }, provide) => {
    pageWatch.watch(page);
    page.context().on("page", (popup) => pageWatch.watch(popup));
    await provide(page);
    expect(pageWatch.problems, "the page logged errors or got answers the test did not expect").toEqual([]);
  },
});

export { expect };
export type { PageWatch };
