"""The five levels as a family and a child say them."""

from django.utils.translation import gettext_lazy as _

# The family's scale: how things went compared with what everyone hoped for.
FAMILY_LEVELS = {
    -2: _("Much less than we hoped"),
    -1: _("A bit less than we hoped"),
    0: _("What we hoped for"),
    1: _("A bit more than we hoped"),
    2: _("Much more than we hoped"),
}

# The child's faces, from a frown to a big grin: each face's accessible name.
CHILD_FACES = {
    -2: _("Not yet"),
    -1: _("A little"),
    0: _("I did it"),
    1: _("Better than I thought"),
    2: _("Super!"),
}
