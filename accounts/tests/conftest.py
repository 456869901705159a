import pytest


@pytest.fixture
def signup_data():
    """The sign-up form as a newcomer fills it in, with `overrides`."""

    def data(**overrides):
        password = "ett-långt-lösenord-2016"
        fields = {
            "email": "ny@example.se",
            "password1": password,
            "password2": password,
            "language": "sv",
            "country": "SE",
        }
        return fields | overrides

    return data
