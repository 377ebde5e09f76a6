"""sfschema.runtime.record_ids: id18 agrees with sfschema.ids.to18; its cache tunes itself."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from sfschema import ids
from sfschema.errors import InvalidIdError
from sfschema.runtime.record_ids import _Cache, _check, id18

ALNUM = string.ascii_letters + string.digits


def reference(value: str) -> str | None:
    try:
        return ids.to18(value)
    except InvalidIdError:
        return None


made = st.builds(
    ids.make_id, st.sampled_from(["001", "003", "006", "a0R", "00Q"]), st.integers(0, 62**11 - 1)
)
id_like = st.one_of(
    st.text(alphabet=ALNUM, min_size=15, max_size=15),
    st.text(alphabet=ALNUM, min_size=18, max_size=18),
    made,
    made.map(str.lower),
    made.map(str.upper),
    made.map(ids.to15),
    made.map(lambda value: value[:15] + value[15:].lower()),
    made.map(lambda value: value[:17] + "!"),
    st.text(max_size=20),
    st.text(alphabet=ALNUM + "ÉßİıＡ٣ _-", min_size=15, max_size=18),
)


@settings(max_examples=1000)
@given(id_like)
def test_id18_agrees_with_ids_to18(value: str) -> None:
    expected = reference(value)
    assert _check(value) == expected
    assert id18(value) == expected
    assert id18(value) == expected  # a second time (from the cache when valid)


def test_the_cache_keeps_repeating_ids_and_pauses_for_new_ones() -> None:
    cache = _Cache()
    pool = [ids.make_id("001", n) for n in range(100)]
    for _ in range(3):
        for value in pool:
            assert cache.lookup(value) == value
    assert (len(cache.known), cache.hits, cache.misses, cache.paused) == (100, 200, 100, 0)

    cache = _Cache()
    fresh = (ids.make_id("003", n) for n in range(10**6))
    for _ in range(_Cache.REVIEW):  # misses only: ids are not repeating
        value = next(fresh)
        assert cache.lookup(value) == value
    assert (len(cache.known), cache.hits, cache.misses, cache.paused) == (0, 0, 0, _Cache.PAUSE)

    for _ in range(_Cache.PAUSE * _Cache.REVIEW):  # paused: nothing is stored
        value = next(fresh)
        assert cache.lookup(value) == value
        assert not cache.known
    assert cache.paused == 0  # trying again
    assert cache.lookup(pool[0]) == pool[0]
    assert cache.known == {pool[0]: pool[0]}


def test_the_cache_never_stores_invalid_ids_and_stays_bounded() -> None:
    cache = _Cache()
    assert cache.lookup("001D000000K0fXOAAA") is None
    assert cache.lookup("001D000000K0fX") is None
    assert not cache.known
    assert cache.lookup("001d000000k0fxoiaz") == "001D000000K0fXOIAZ"
    assert cache.known == {"001d000000k0fxoiaz": "001D000000K0fXOIAZ"}


class _Small(_Cache):
    LIMIT = 8
    REVIEW = 32


def test_the_cache_holds_at_most_its_limit() -> None:
    cache = _Small()
    pool = [ids.make_id("006", n) for n in range(20)]
    for _ in range(10):
        for value in pool:
            assert cache.lookup(value) == value
            assert len(cache.known) <= _Small.LIMIT
    # a pool larger than the cache gets (nearly) no hits: the cache paused itself
    assert cache.paused > 0
