"""Write each served model's contract (GET /v1/modellen/{modelId}/openapi.json) and each
served version's (GET .../versies/{versie}/openapi.json) to a folder, for linters that
read files: `python -m tools.write_contracts DIR` (make lint-openapi)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from service import create_app


def main(folder: str) -> None:
    """One `<model id>.openapi.json` per served model and `<model id>@<version>.openapi.json`
    per served version in `folder`."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    app = create_app({"TESTING": True})
    client = app.test_client()
    for model in client.get("/v1/modellen").get_json()["modellen"]:
        response = client.get(f"/v1/modellen/{model['id']}/openapi.json")
        if response.status_code != 200:
            raise SystemExit(f"{model['id']}: {response.status_code} {response.get_data(True)}")
        doc = response.get_json()
        path = out / f"{model['id']}.openapi.json"
        path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(path)
        versions = client.get(f"/v1/modellen/{model['id']}/versies").get_json()["versies"]
        for version in versions:
            url = f"/v1/modellen/{model['id']}/versies/{version['versie']}/openapi.json"
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url}: {response.status_code} {response.get_data(True)}")
            doc = response.get_json()
            path = out / f"{model['id']}@{version['versie']}.openapi.json"
            path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            print(path)


if __name__ == "__main__":
    main(sys.argv[1])
