"""lib.memo.LocalMemo: the per-process memory of stamp-keyed values and checks."""

from lib.memo import LocalMemo


def test_the_least_recently_used_entry_goes_first_when_full():
    memo = LocalMemo(maxsize=2)
    memo.set("a", 1)
    memo.set("b", 2)
    assert memo.get("a") == 1  # "a" is now the most recently used
    memo.set("c", 3)
    assert memo.get("b") is None
    assert (memo.get("a"), memo.get("c")) == (1, 3)


def test_a_stored_none_is_told_from_a_miss_by_the_default():
    memo = LocalMemo(maxsize=1)
    memo.set("k", None)
    assert memo.get("k", "absent") is None
    memo.clear()
    assert memo.get("k", "absent") == "absent"
