import { forgetApiKey } from '../api/key-store.ts';
import { authState } from '../api/auth-state.ts';
import { onLinkClick, overviewHref, useRoute } from '../router.ts';
import { useAuth } from '../use-auth.ts';
import { useFeed } from '../use-feed.ts';
import { KeyForm } from './key-form.tsx';
import { Overview } from './overview.tsx';
import { TurnView } from './turn-view.tsx';

export function App() {
  const auth = useAuth();
  const route = useRoute();
  const feed = useFeed(auth.generation);
  return (
    <>
      <header class="top">
        <a class="brand" href={overviewHref()} onClick={(e) => onLinkClick(e, overviewHref())}>
          turnpool console
        </a>
        <span class="feed-status" role="status" data-testid="feed-status">
          {feed.problem ?? `live · ${new Date(feed.summary?.at ?? Date.now()).toLocaleTimeString()}`}
        </span>
        <button
          type="button"
          class="link-button"
          onClick={() => {
            forgetApiKey();
            authState.satisfied();
          }}
        >
          Forget key
        </button>
      </header>
      {auth.needed && <KeyForm />}
      <main>
        {route.view === 'turn' ? (
          <TurnView turnId={route.turnId} authGeneration={auth.generation} summary={feed.summary} />
        ) : (
          <Overview feed={feed} authGeneration={auth.generation} />
        )}
      </main>
    </>
  );
}
