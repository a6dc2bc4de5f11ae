"""The family's rating of one goal, and the child's faces."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_COMMENT

LEVEL_CHOICES = [(level, str(level)) for level in range(-2, 3)]


class LevelField(forms.TypedChoiceField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            choices=LEVEL_CHOICES,
            coerce=int,
            error_messages={
                "required": _("Choose one of the five answers."),
                "invalid_choice": _("Choose one of the five answers."),
            },
            **kwargs,  # type: ignore[arg-type]
        )


class FamilyRatingForm(forms.Form):
    goal = forms.UUIDField(error_messages={"invalid": _("Choose a goal to rate.")})
    level = LevelField()
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ChildRatingForm(forms.Form):
    goal = forms.UUIDField()
    level = LevelField()
