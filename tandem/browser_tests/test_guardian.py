"""Guardians on a phone: their own children only, in their own language."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.accounts.models import User
from tandem.conftest import World

from .conftest import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("viewport", [PHONE], ids=["375px"])]

FAMILY_HOME = re.compile(re.escape(reverse("homeprogram:family_home")) + "$")


def test_guardian_sees_only_their_own_children(page: Page, world: World) -> None:
    sign_in(page, world.guardian)  # no second factor for guardians
    expect(page).to_have_url(FAMILY_HOME)

    cards = page.locator("a.child-card")
    expect(cards).to_have_count(2)
    expect(cards.filter(has_text="Maya Okafor")).to_have_count(1)
    expect(cards.filter(has_text="Eli Okafor")).to_have_count(1)
    main = page.get_by_role("main")
    expect(main).not_to_contain_text("Noah")  # another family, same clinic
    expect(main).not_to_contain_text("Zara")  # another clinic

    cards.filter(has_text="Maya Okafor").click()
    expect(page).to_have_url(re.compile(re.escape(world.child.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Maya Okafor")
    expect(page.get_by_role("heading", name="About your child")).to_be_visible()
    expect(page.get_by_role("link", name="Edit profile")).to_have_count(0)


def test_guardian_typing_another_childs_address_gets_not_found(page: Page, world: World) -> None:
    sign_in(page, world.guardian)
    for outsider in (world.other_child, world.foreign_child):
        response = page.goto(outsider.get_absolute_url())
        assert response is not None and response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("We could not find that page")
        expect(page.get_by_role("main")).not_to_contain_text(outsider.first_name)


def test_guardian_switches_to_spanish_in_settings(page: Page, world: World) -> None:
    sign_in(page, world.guardian)
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Home")

    page.goto(reverse("accounts:preferences"))
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajustes")
    nav = page.get_by_role("navigation", name=re.compile("Main|Principal"))
    expect(nav.get_by_role("link", name="Inicio")).to_be_visible()
    assert User.objects.get(pk=world.guardian.user.pk).language == "es"

    # The choice follows the person, not the page.
    nav.get_by_role("link", name="Inicio").click()
    expect(page).to_have_url(FAMILY_HOME)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hola")
