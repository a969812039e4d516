"""The build state's post cache: deltas for small changes, folded into the blob past a limit."""

from pathlib import Path

from dzenpress.content.post import Post
from dzenpress.content.site import load_site
from dzenpress.render import state as state_module
from dzenpress.render.state import State

from conftest import EXAMPLE


def test_post_cache_round_trip_with_deltas_and_folding(tmp_path: Path, monkeypatch: object) -> None:
    site = load_site(EXAMPLE)
    posts = {str(p.path): p for p in site.posts}
    monkeypatch.setattr(state_module, "_MAX_DELTAS", 5)  # type: ignore[attr-defined]
    state = State(tmp_path)
    for n, (path, post) in enumerate(posts.items()):
        state.put(path, (n, 1), post)
    state.save_posts(set(posts))  # 10 new posts > 5: straight into the blob
    assert state.db.execute("SELECT count(*) FROM post_delta").fetchone()[0] == 0
    state.close()

    state = State(tmp_path)
    first = next(iter(posts))
    assert isinstance(state.get(first, (0, 1)), Post) and state.get(first, (9, 9)) is None
    state.put(first, (100, 1), posts[first])
    state.save_posts(set(posts) - {list(posts)[1]})  # one changed, one deleted: two delta rows
    assert state.db.execute("SELECT count(*) FROM post_delta").fetchone()[0] == 2
    state.close()

    state = State(tmp_path)
    assert state.get(first, (100, 1)) is not None and state.get(list(posts)[1], (1, 1)) is None
    monkeypatch.setattr(state_module, "_MAX_DELTAS", 2)  # type: ignore[attr-defined]
    state.put(first, (200, 1), posts[first])
    state.save_posts(set(posts))
    assert state.db.execute("SELECT count(*) FROM post_delta").fetchone()[0] == 0
    state.close()
    assert State(tmp_path).get(first, (200, 1)) is not None
