from policy.models.consent import ConsentOwner, ConsentRecord, ConsentTextRevision
from policy.models.versions import PolicyAcceptance, PolicyVersion

__all__ = [
    "ConsentOwner",
    "ConsentRecord",
    "ConsentTextRevision",
    "PolicyAcceptance",
    "PolicyVersion",
]
