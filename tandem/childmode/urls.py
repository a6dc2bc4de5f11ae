from . import views  # noqa: F401 - routes arrive with the views

app_name = "childmode"
urlpatterns: list = []
