import pytest

from mystore_edges.bff.app import ROUTES, openapi_document


def test_health_and_readiness(bff):
    assert bff.get("/healthz").get_json() == {"status": "ok"}
    assert bff.get("/readyz").get_json() == {"status": "ready"}


def test_openapi_documents_exactly_the_routes():
    import json

    document = json.loads(openapi_document())
    documented = {(path, method.upper()) for path, item in document["paths"].items() for method in item}
    routed = {
        (rule.rule.replace("<", "{").replace(">", "}").replace("{int:", "{"), method)
        for rule in ROUTES.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert documented == routed


def test_openapi_is_served(bff):
    response = bff.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.get_json()["openapi"].startswith("3.1")


def test_unknown_api_paths_are_404_problems(bff):
    response = bff.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["code"] == "NOT_FOUND"


def test_wrong_method_is_405_with_allow(bff):
    response = bff.get("/api/auth/login")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"


@pytest.mark.parametrize("origin", ["http://127.0.0.1:5173", "http://localhost:5173"])
def test_cors_only_for_the_vite_dev_origin(bff, origin):
    preflight = bff.options("/api/me", headers={"Origin": origin, "Access-Control-Request-Method": "GET"})
    assert preflight.headers["Access-Control-Allow-Origin"] == origin
    assert preflight.headers["Access-Control-Allow-Credentials"] == "true"


def test_no_cors_for_other_origins(bff):
    response = bff.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_the_storefront_is_served_with_client_side_routes(bff, tmp_path, monkeypatch):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<html>store</html>")
    (tmp_path / "assets" / "app-1234.js").write_text("console.log(1)")
    monkeypatch.setenv("MYSTORE_STATIC_DIR", str(tmp_path))
    from mystore_kit.settings import get_settings

    get_settings.cache_clear()
    assert bff.get("/").get_data() == b"<html>store</html>"
    assert bff.get("/orders/123").get_data() == b"<html>store</html>"
    asset = bff.get("/assets/app-1234.js")
    assert asset.get_data() == b"console.log(1)" and "immutable" in asset.headers["Cache-Control"]
    assert bff.get("/../pyproject.toml").status_code in (200, 404)
    assert b"my-store" not in bff.get("/../pyproject.toml").get_data()


def test_without_a_built_storefront_root_is_a_clear_503(bff, tmp_path, monkeypatch):
    monkeypatch.setenv("MYSTORE_STATIC_DIR", str(tmp_path / "missing"))
    from mystore_kit.settings import get_settings

    get_settings.cache_clear()
    response = bff.get("/")
    assert response.status_code == 503
    assert "npm run build" in response.get_json()["detail"]
