import { useEffect, useState } from 'preact/hooks';

/** Where the console is served (`/console/`, from Vite's `base`). */
export const basePath = import.meta.env.BASE_URL.replace(/\/$/, '');

/** The console's views, from the URL path: a shared link and the back button land on the same view. */
export type Route = { view: 'overview' } | { view: 'turn'; turnId: string };

export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(basePath) ? pathname.slice(basePath.length) : pathname;
  const m = /^\/turns\/([A-Za-z0-9._-]{1,128})\/?$/.exec(rest);
  return m?.[1] ? { view: 'turn', turnId: m[1] } : { view: 'overview' };
}

export const turnHref = (turnId: string): string => `${basePath}/turns/${encodeURIComponent(turnId)}`;
export const overviewHref = (): string => `${basePath}/`;

const routeListeners = new Set<() => void>();

/** Goes to `href` inside the console with the History API (a new history entry, no reload). */
export function navigate(href: string): void {
  history.pushState(null, '', href);
  for (const l of routeListeners) l();
}

/** The current route; re-renders on navigate() and on the back / forward buttons. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    routeListeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      routeListeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}

/** A click on an in-console link: plain left clicks navigate in place; modified clicks (new tab) go to the browser. */
export function onLinkClick(e: MouseEvent, href: string): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(href);
}
