from policy.models.versions import PolicyAcceptance, PolicyVersion

__all__ = ["PolicyAcceptance", "PolicyVersion"]
