from accounts import registry
from accounts.registry import PersonalDataSection

NOTES = PersonalDataSection(key="notes", title="", collect=list, delete=list)


def test_every_app_registers_its_section_once():
    keys = [section.key for section in registry.sections()]
    assert keys == ["policy_acknowledgements", "cookie_consents", "visits", "registrations"]


def test_override_registers_only_the_given_sections_and_restores_the_real_ones():
    real = registry.sections()
    with registry.override(NOTES):
        assert registry.sections() == [NOTES]
    assert registry.sections() == real


def test_override_restores_the_real_sections_when_the_block_fails():
    real = registry.sections()
    try:
        with registry.override(NOTES):
            raise RuntimeError
    except RuntimeError:
        pass
    assert registry.sections() == real
