import string

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from registrations.keys import GENERIC_KEY_ERROR, mask_key, normalise_key

stored_keys = st.text(alphabet=string.ascii_uppercase + string.digits, min_size=8, max_size=64)


@st.composite
def typed_forms(draw):
    """A stored key as a person might type it: any case, dashes and spaces, padding."""
    key = draw(stored_keys)
    typed = ""
    for char in key:
        typed += char.lower() if draw(st.booleans()) else char
        typed += draw(st.sampled_from(["", "", "-", " ", "- "]))
    padding = st.text(alphabet=" \t\n", max_size=3)
    return key, draw(padding) + typed + draw(padding)


@given(typed_forms())
def test_any_typed_form_of_a_key_normalises_to_the_stored_key(example):
    key, typed = example
    assert normalise_key(typed) == key


@given(stored_keys)
def test_normalising_is_idempotent(key):
    assert normalise_key(normalise_key(key)) == key


@given(
    st.text(min_size=1).filter(
        lambda s: any(c not in string.ascii_letters + string.digits + " -" for c in s.strip())
    )
)
def test_anything_but_letters_digits_spaces_and_dashes_is_rejected(text):
    with pytest.raises(ValidationError) as caught:
        normalise_key("ABCD1234" + text + "EFGH")
    assert caught.value.messages == [str(GENERIC_KEY_ERROR)]


@pytest.mark.parametrize("typed", ["", "   ", "ABC-123", "A" * 65, "straße12345", "ÅÄÖ12345"])
def test_too_short_too_long_and_non_ascii_keys_are_rejected(typed):
    with pytest.raises(ValidationError):
        normalise_key(typed)


def test_masked_key_shows_only_the_last_four_characters():
    assert mask_key("ABCD1234EFGH5678") == "••••••••••••5678"
