class ReadOnlyAdminMixin:
    """Staff see these rows in the admin but never add or change them there.

    With `deletable = False` they cannot delete them either: proof that must outlive any
    staff decision.
    """

    deletable = True

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.deletable and super().has_delete_permission(request, obj)
