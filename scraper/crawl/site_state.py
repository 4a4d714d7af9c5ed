"""A site's state after a crawl run (DESIGN §13), from what the run saw: robots.txt, the home page's answer and
the verdicts extraction gave its pages. `SiteEvidence` collects; `SiteEvidence.state()` decides, with a detail
line a person can act on (the archive stores both through `archive.crawl_state.set_site_state`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scraper.crawl.fetch import FetchResult
from scraper.crawl.robots import Robots
from scraper.extract.verdicts import destination_kind, injected_links, placeholder_reason, redirect_target
from scraper.sites import same_site

OFF_SITE_REDIRECT = "off-site redirect to "
SPAM_KIND = "spam"      # `urls.kind` of a page found to be injected spam, so later runs still count it
REFUSING_STATUSES = frozenset({401, 403, 451})
EXAMPLES = 3            # spam pages named in a compromised site's detail


@dataclass(slots=True)
class SiteEvidence:
    """What one run saw of a site, in the order the crawl sees it."""

    home_url: str
    robots_problem: str | None = None        # robots.txt unreachable: why
    robots_disallows: bool = False
    home: FetchResult | None = None
    home_verdict: str | None = None          # `parked`/`script-only` reason of the home page (or robots.txt)
    spam: list[tuple[str, str]] = field(default_factory=list)     # (url, what) of pages with injected spam
    earlier_spam: list[str] = field(default_factory=list)   # found by earlier runs (incremental runs skip them)
    read: set[str] = field(default_factory=set)
    articles: int = 0

    def remember_spam(self, known: dict[str, dict[str, Any]]) -> None:
        """The spam pages earlier runs found (URL states whose kind is `spam`)."""
        self.earlier_spam = sorted(url for url, state in known.items() if state.get("kind") == SPAM_KIND)

    def saw_robots(self, robots: Robots, fetched: FetchResult | None) -> None:
        """robots.txt as loaded; unreachable or disallowing the home page ends the site's crawl."""
        if "unreachable" in robots.source:
            self.robots_problem = (fetched.error if fetched is not None and fetched.error
                                   else robots.source.removeprefix("robots.txt unreachable "))
            said = placeholder_reason(fetched.content.decode("utf-8", "replace")) if fetched and fetched.content \
                else None
            if said and said.startswith("parked"):   # a suspended hosting account answers 503 everywhere
                self.home_verdict = said
        elif not robots.allowed(self.home_url):
            self.robots_disallows = True

    def saw_home(self, result: FetchResult | None) -> None:
        """The home page's answer (after same-site redirects)."""
        self.home = result

    def saw_page(self, url: str, page: Any, *, home: bool) -> None:
        """A fetched page as extraction read it (a `Page`, or None when extraction failed)."""
        if page is None:
            return
        self.read.add(url)
        reason = page.reason or ""
        if is_spam(page):
            self.spam.append((url, reason.partition("(")[2].rstrip(")")))
        elif links := injected_links(page.links, url):
            self.spam.append((url, links.removeprefix("spam links: ")))
        if home and reason.startswith(("parked", "script-only")):   # a parking page's ads may sell gambling
            self.home_verdict = reason

    def saw_alias(self, url: str, *, article: bool) -> None:
        """`url` sent the same page as one read already (see `saw_page`): one more page read, an article or not."""
        self.read.add(url)
        self.articles += article

    def saw_article(self) -> None:
        """An article of the site was stored or found unchanged."""
        self.articles += 1

    def state(self) -> tuple[str, str]:
        """(state, detail) for `sites.state` / `sites.state_detail`."""
        if self.robots_problem is not None:
            if self.home_verdict and self.home_verdict.startswith("parked"):
                said = self.home_verdict.removeprefix("parked: ")
                return "parked", f"robots.txt answered {self.robots_problem}: {said}"
            return "unreachable", f"robots.txt: {self.robots_problem}"
        if self.robots_disallows:
            return "blocked", f"robots.txt disallows warta at {self.home_url}"
        home = self.home
        if home is not None and not home.ok and not home.not_modified:
            return _home_failure(self.home_url, home)
        if home is not None and home.ok and (target := redirect_target(home.content.decode("utf-8", "replace"))) \
                and target.startswith("http") and not same_site(target, self.home_url):
            return _redirected(self.home_url, target, "sends browsers (meta refresh or script)")
        if self.home_verdict and self.home_verdict.startswith("parked"):
            return "parked", f"home page {self.home_url}: {self.home_verdict.removeprefix('parked: ')}"
        still = [url for url in self.earlier_spam if url not in self.read]
        if self.spam or still:
            named = [f"{url} ({what})" for url, what in self.spam] + still
            examples = "; ".join(named[:EXAMPLES])
            return "compromised", (f"{len(self.spam) + len(still)} page(s) with injected spam on the site"
                                   f"{f' ({len(still)} found by earlier runs)' if still else ''}, e.g. {examples}")
        if self.home_verdict and self.articles == 0:
            return "script-only", f"home page {self.home_url}: {self.home_verdict.removeprefix('script-only: ')}"
        return "ok", f"{len(self.read)} pages read this run, {self.articles} of them articles"


def _home_failure(home_url: str, home: FetchResult) -> tuple[str, str]:
    error = home.error or ""
    if error.startswith(OFF_SITE_REDIRECT):
        return _redirected(home_url, error.removeprefix(OFF_SITE_REDIRECT).split(" ", 1)[0], "redirects")
    if home.status is None:
        return "unreachable", f"home page {home_url}: {error or 'no answer'}"
    said = placeholder_reason(home.content.decode("utf-8", "replace")) if home.content else None
    if said and said.startswith("parked"):          # hosting panels answer a suspended account with 403 or 503
        return "parked", f"home page {home_url} answered HTTP {home.status}: {said.removeprefix('parked: ')}"
    if home.status in REFUSING_STATUSES:
        return "blocked", f"home page {home_url} answered HTTP {home.status}"
    return "unreachable", f"home page {home_url}: {error or f'HTTP {home.status}'}"


def is_spam(page: Any) -> bool:
    """Whether extraction found the page to be injected spam."""
    return (page.reason or "").startswith("spam")


def _redirected(home_url: str, target: str, how: str) -> tuple[str, str]:
    """A home page sending its visitors to another site: parked at a for-sale service, hijacked to a gambling
    site, or moved (not followed: the operator decides)."""
    kind = destination_kind(target)
    if kind == "parked":
        return "parked", f"home page {home_url} {how} to {target}, a domain parking or for-sale service"
    if kind == "spam":
        return "compromised", f"home page {home_url} {how} to {target}, a gambling site"
    return "moved", f"home page {home_url} {how} to {target} (not followed)"
