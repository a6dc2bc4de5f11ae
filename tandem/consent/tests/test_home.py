"""A collaborator's home lists the children shared with them, with the last day."""

from django.utils.formats import date_format

from tandem.consent.models import ConsentGrant


def test_home_lists_shared_children_with_their_last_day(world, client_as):
    body = client_as(world.consented_collaborator).get("/").content.decode()
    assert "Maya Okafor" in body and "Noah Berg" in body
    assert "Eli Okafor" not in body and "Zara Lind" not in body
    grant = ConsentGrant.objects.get(collaborator=world.consented_collaborator, child=world.child)
    assert date_format(grant.expires_on, "j F Y") in body


def test_ended_consents_are_not_listed(world, client_as):
    for persona in ("expired_collaborator", "revoked_collaborator"):
        body = client_as(getattr(world, persona)).get("/").content.decode()
        assert "Maya Okafor" not in body
        assert "No family has shared" in body


def test_home_query_count_is_bounded(world, client_as, django_assert_max_num_queries):
    from tandem.core.testing import factories as f

    from .helpers import share

    for _ in range(8):
        child = f.ChildFactory(organization=world.org)
        share(world.consented_collaborator, child, f.GuardianLinkFactory(child=child).guardian)
    client = client_as(world.consented_collaborator)
    client.get("/")  # the session's first request records the session itself
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200
