#!/usr/bin/env python3
"""Drive a running provsync sandbox through the real client SDKs.

Run inside the Debian 13 tree that scripts/sdk-check makes (Python >= 3.13, with
agentstack-sdk 0.7.1 and pragmatiks-sdk 18.0.0 installed):

    python sdk_check.py --url http://127.0.0.1:PORT [--verbose]

Every call goes through the SDK's own public client API, so each answer is parsed by
the SDK's own pydantic models. One line is printed per call:

    OK <sdk> <call>
    FAIL <sdk> <call>: <exception>
        <validation errors: loc, type, message, input; or the HTTP status and body>

and a closing `N passed, N failed` line. A failed call does not stop the others: when
a later call needs something from a call whose answer the SDK rejected (a provider
id, say), it is read from the raw response the sandbox sent. Exit status is 1 when
any call failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import traceback
from datetime import timedelta
from typing import Any, Callable

import httpx
import pydantic

AGENTSTACK = "agentstack-sdk"
PRAGMATIKS = "pragmatiks-sdk"

NETWORK_LOCATION = "http://agent-a.test:18601/"
IMAGE_LOCATION = "ghcr.io/acme/research-agent:1.2.0"
IMAGE_ORIGIN = "ghcr.io/acme/research-agent"
STORE_PROVIDER = "acme/postgres"
AUTO_PROVIDER = "acme/redis"
UNKNOWN_PROVIDER = "acme/not-in-catalog"

MAX_ERROR_LINES = 14


class CheckFailed(Exception):
    """A call the SDK accepted but whose answer is not what the call asked for."""


class Recorder:
    """Counts results and keeps the last raw HTTP answer for diagnostics."""

    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose
        self.passed = 0
        self.failed = 0
        self.last: httpx.Response | None = None
        self.results: list[tuple[str, str, str]] = []

    # httpx event hooks: read the body so it can be shown after the SDK rejects it.
    async def async_hook(self, response: httpx.Response) -> None:
        await response.aread()
        self.last = response

    def sync_hook(self, response: httpx.Response) -> None:
        response.read()
        self.last = response

    def last_json(self) -> Any:
        if self.last is None:
            return None
        try:
            return self.last.json()
        except ValueError:
            return None

    def ok(self, sdk: str, call: str) -> None:
        self.passed += 1
        self.results.append(("OK", sdk, call))
        print(f"OK {sdk} {call}", flush=True)
        self._raw()

    def fail(self, sdk: str, call: str, error: BaseException) -> None:
        self.failed += 1
        head, details = describe(error)
        self.results.append(("FAIL", sdk, call))
        print(f"FAIL {sdk} {call}: {head}", flush=True)
        for line in details[:MAX_ERROR_LINES]:
            print(f"    {line}", flush=True)
        if len(details) > MAX_ERROR_LINES:
            print(f"    ... {len(details) - MAX_ERROR_LINES} more", flush=True)
        self._raw(always=not isinstance(error, httpx.HTTPStatusError))

    def _raw(self, always: bool = False) -> None:
        if not (self.verbose or always) or self.last is None:
            return
        body = self.last.text
        limit = 4000 if self.verbose else 900
        if len(body) > limit:
            body = body[:limit] + "..."
        print(f"    answer: {self.last.request.method} {self.last.request.url.path} -> "
              f"{self.last.status_code} {body}", flush=True)


def short(value: Any, limit: int = 110) -> str:
    text = json.dumps(value, default=str) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe(error: BaseException) -> tuple[str, list[str]]:
    """A one-line head and detail lines for an exception."""
    if isinstance(error, pydantic.ValidationError):
        lines = []
        for item in error.errors():
            loc = ".".join(str(part) for part in item.get("loc", ()))
            lines.append(f"{loc}: {item.get('type')}: {item.get('msg')} (input: {short(item.get('input'))})")
        return f"{type(error).__name__}: {error.error_count()} error(s) for {error.title}", lines
    if isinstance(error, httpx.HTTPStatusError):
        response = error.response
        body = response.text if len(response.text) <= 400 else response.text[:400] + "..."
        return (f"HTTP {response.status_code} from {response.request.method} {response.request.url.path}",
                [f"body: {body}"])
    text = str(error).strip().splitlines() or [""]
    # Where an unexpected exception came from; SDK transport errors and failed checks say enough.
    tail = [] if isinstance(error, (CheckFailed, httpx.HTTPError)) else traceback.format_exception(error)[-3:-1]
    lines = text[1:] + [line.rstrip() for chunk in tail for line in chunk.splitlines()]
    return f"{type(error).__name__}: {text[0]}", lines


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


# ---------------------------------------------------------------------------------------------
# agentstack-sdk: the Agent Stack provider API under /api/v1/providers
# ---------------------------------------------------------------------------------------------


async def check_agentstack(url: str, rec: Recorder) -> None:
    try:
        from a2a.types import AgentCapabilities, AgentCard, AgentSkill
        from agentstack_sdk.platform import Provider, use_platform_client
    except Exception as error:  # noqa: BLE001
        rec.fail(AGENTSTACK, "import", error)
        return

    sdk = AGENTSTACK
    ids: dict[str, str | None] = {"network": None, "image": None}

    async def call(name: str, action: Callable[[], Any]) -> Any:
        rec.last = None
        try:
            result = await action()
        except Exception as error:  # noqa: BLE001
            rec.fail(sdk, name, error)
            return None
        rec.ok(sdk, name)
        return result

    def remember(key: str, result: Any) -> None:
        if result is not None:
            ids[key] = result.id
        elif isinstance(rec.last_json(), dict) and isinstance(rec.last_json().get("id"), str):
            ids[key] = rec.last_json()["id"]

    network_card = AgentCard(
        name="Agent A",
        description="A network agent the check registers.",
        url=NETWORK_LOCATION,
        version="1.0.0",
        capabilities=AgentCapabilities(streaming=True),
        default_input_modes=["text"],
        default_output_modes=["text"],
        skills=[AgentSkill(id="chat", name="Chat", description="Talks.", tags=["chat"])],
    )

    async with use_platform_client(base_url=url, event_hooks={"response": [rec.async_hook]}):

        async def list_empty():
            providers = await Provider.list()
            expect(providers == [], f"expected no providers at start, got {len(providers)}")
            return providers

        await call("Provider.list (empty)", list_empty)

        async def create_network():
            provider = await Provider.create(location=NETWORK_LOCATION, agent_card=network_card)
            expect(provider.source.rstrip("/") == NETWORK_LOCATION.rstrip("/"),
                   f"source {provider.source!r}, expected {NETWORK_LOCATION!r}")
            return provider

        remember("network", await call("Provider.create (network, with agent card)", create_network))

        async def create_image():
            provider = await Provider.create(
                location=IMAGE_LOCATION,
                auto_stop_timeout=timedelta(minutes=15),
                variables={"LOG_LEVEL": "debug"},
            )
            expect(provider.auto_stop_timeout == timedelta(minutes=15),
                   f"auto_stop_timeout {provider.auto_stop_timeout}, expected 0:15:00")
            return provider

        remember("image", await call("Provider.create (image, card from image)", create_image))

        for key in ("network", "image"):
            provider_id = ids[key]
            if provider_id is None:
                rec.fail(sdk, f"Provider.get ({key})", CheckFailed("no provider id: create gave none"))
                continue

            async def get(provider_id: str = provider_id):
                provider = await Provider.get(provider_id)
                expect(provider.id == provider_id, f"id {provider.id!r}, expected {provider_id!r}")
                return provider

            await call(f"Provider.get ({key})", get)

        async def by_location():
            provider = await Provider.get_by_location(location=IMAGE_LOCATION)
            expect(ids["image"] is None or provider.id == ids["image"],
                   f"id {provider.id!r}, expected {ids['image']!r}")
            return provider

        await call("Provider.get_by_location (image)", by_location)

        async def list_all():
            providers = await Provider.list()
            expect(len(providers) == 2, f"expected 2 providers, got {len(providers)}")
            return providers

        await call("Provider.list (2 providers)", list_all)

        async def list_origin():
            providers = await Provider.list(origin=IMAGE_ORIGIN)
            expect([p.origin for p in providers] == [IMAGE_ORIGIN],
                   f"origins {[p.origin for p in providers]}, expected [{IMAGE_ORIGIN!r}]")
            return providers

        await call("Provider.list (origin filter)", list_origin)

        async def list_owned():
            providers = await Provider.list(user_owned=True)
            expect(len(providers) == 2, f"expected 2 providers owned by the caller, got {len(providers)}")
            return providers

        await call("Provider.list (user_owned)", list_owned)

        if ids["image"] is not None:
            image_id = ids["image"]

            async def patch():
                provider = await Provider.patch(image_id, auto_stop_timeout=timedelta(minutes=5))
                expect(provider.auto_stop_timeout == timedelta(minutes=5),
                       f"auto_stop_timeout {provider.auto_stop_timeout}, expected 0:05:00")
                return provider

            await call("Provider.patch (auto_stop_timeout)", patch)
        else:
            rec.fail(sdk, "Provider.patch (auto_stop_timeout)", CheckFailed("no provider id: create gave none"))

        if ids["network"] is not None:
            network_id = ids["network"]

            async def patch_card():
                card = network_card.model_copy(update={"description": "Patched by the check."})
                provider = await Provider.patch(network_id, agent_card=card)
                expect(provider.agent_card.description == "Patched by the check.",
                       f"description {provider.agent_card.description!r} after patch")
                return provider

            await call("Provider.patch (agent_card)", patch_card)
        else:
            rec.fail(sdk, "Provider.patch (agent_card)", CheckFailed("no provider id: create gave none"))

        async def preview():
            return await Provider.preview(location="ghcr.io/acme/other-agent:2.0.0")

        await call("Provider.preview (image)", preview)

        if ids["image"] is not None:
            image_id = ids["image"]

            async def variables_get():
                variables = await Provider.list_variables(image_id)
                expect(variables == {"LOG_LEVEL": "debug"}, f"variables {variables}, expected LOG_LEVEL only")
                return variables

            await call("Provider.list_variables", variables_get)

            async def variables_put():
                await Provider.update_variables(image_id, variables={"OPENAI_API_KEY": "sk-test", "LOG_LEVEL": None})

            await call("Provider.update_variables", variables_put)

            async def variables_after():
                variables = await Provider.list_variables(image_id)
                expect(variables == {"OPENAI_API_KEY": "sk-test"},
                       f"variables {variables}, expected OPENAI_API_KEY only")
                return variables

            await call("Provider.list_variables (after update)", variables_after)

            async def configured():
                provider = await Provider.get(image_id)
                expect(provider.missing_configuration == [],
                       f"missing_configuration {provider.missing_configuration} after setting the variable")
                return provider

            await call("Provider.get (image, after the variables update)", configured)
        else:
            for name in ("Provider.list_variables", "Provider.update_variables",
                         "Provider.list_variables (after update)",
                         "Provider.get (image, after the variables update)"):
                rec.fail(sdk, name, CheckFailed("no provider id: create gave none"))

        for key in ("network", "image"):
            provider_id = ids[key]
            if provider_id is None:
                rec.fail(sdk, f"Provider.delete ({key})", CheckFailed("no provider id: create gave none"))
                continue

            async def delete(provider_id: str = provider_id):
                await Provider.delete(provider_id)
                try:
                    await Provider.get(provider_id)
                except httpx.HTTPStatusError as error:
                    expect(error.response.status_code == 404,
                           f"GET after delete answered {error.response.status_code}, expected 404")
                else:
                    raise CheckFailed("provider still readable after delete")

            await call(f"Provider.delete ({key})", delete)


# ---------------------------------------------------------------------------------------------
# pragmatiks-sdk: the store installation API at /providers/...
# ---------------------------------------------------------------------------------------------


def check_pragmatiks(url: str, rec: Recorder) -> None:
    try:
        from pragma_sdk import PragmaClient
        from pragma_sdk.models import UpgradePolicy
    except Exception as error:  # noqa: BLE001
        rec.fail(PRAGMATIKS, "import", error)
        return

    sdk = PRAGMATIKS

    def call(name: str, action: Callable[[], Any]) -> Any:
        rec.last = None
        try:
            result = action()
        except Exception as error:  # noqa: BLE001
            rec.fail(sdk, name, error)
            return None
        rec.ok(sdk, name)
        return result

    with PragmaClient(base_url=url, auth_token=None) as client:
        # The SDK has no public hook option; this only lets a rejected answer be shown.
        client._client.event_hooks = {"response": [rec.sync_hook]}

        def list_empty():
            installations = client.list_installations()
            expect(installations == [], f"expected nothing installed at start, got {len(installations)}")
            return installations

        call("list_installations (empty)", list_empty)

        def provider():
            found = client.get_provider(STORE_PROVIDER)
            expect(found.canonical == STORE_PROVIDER, f"canonical {found.canonical!r}")
            expect(found.latest_version == "1.5.0",
                   f"latest_version {found.latest_version!r}, expected the newest published '1.5.0'")
            return found

        call(f"get_provider ({STORE_PROVIDER})", provider)

        def status_of(action: Callable[[], Any]) -> int | None:
            try:
                action()
            except httpx.HTTPStatusError as error:
                return error.response.status_code
            return None

        def provider_unknown():
            status = status_of(lambda: client.get_provider(UNKNOWN_PROVIDER))
            expect(status == 404, f"expected a 404 for {UNKNOWN_PROVIDER}, got {status}")

        call(f"get_provider ({UNKNOWN_PROVIDER}: 404)", provider_unknown)

        def versions():
            listed = client.list_provider_versions(STORE_PROVIDER)
            statuses = {v.version: v.status.value for v in listed}
            expect({"1.4.0", "1.4.2", "1.5.0"} <= {v for v, s in statuses.items() if s == "published"},
                   f"versions {statuses}")
            expect(statuses.get("1.6.0") == "staged", f"expected 1.6.0 staged, got {statuses}")
            expect(all(v.distribution_name == "acme-postgres" for v in listed),
                   f"distribution names {sorted({v.distribution_name for v in listed})}")
            expect(all((v.published_at is not None) == (v.status.value == "published") for v in listed),
                   "published_at must be set exactly on published versions")
            return listed

        call(f"list_provider_versions ({STORE_PROVIDER})", versions)

        def versions_unknown():
            status = status_of(lambda: client.list_provider_versions(UNKNOWN_PROVIDER))
            expect(status == 404, f"expected a 404 for {UNKNOWN_PROVIDER}, got {status}")

        call(f"list_provider_versions ({UNKNOWN_PROVIDER}: 404)", versions_unknown)

        def install_unpublished():
            status = status_of(lambda: client.install_provider(STORE_PROVIDER, version="1.6.0"))
            expect(status == 400, f"expected a 400 for the staged 1.6.0, got {status}")

        call(f"install_provider ({STORE_PROVIDER} 1.6.0, staged: 400)", install_unpublished)

        def install():
            installation = client.install_provider(STORE_PROVIDER, version="1.4.0", config={"REGION": "eu"})
            expect(installation.installed_version == "1.4.0",
                   f"installed_version {installation.installed_version!r}, expected '1.4.0'")
            expect(installation.canonical == STORE_PROVIDER, f"canonical {installation.canonical!r}")
            expect(installation.config == {"REGION": "eu"}, f"config {installation.config!r}")
            return installation

        call(f"install_provider ({STORE_PROVIDER} 1.4.0)", install)

        def install_auto():
            installation = client.install_provider(AUTO_PROVIDER, upgrade_policy=UpgradePolicy.AUTO)
            expect(installation.upgrade_policy == UpgradePolicy.AUTO,
                   f"upgrade_policy {installation.upgrade_policy!r}, expected auto")
            expect(installation.installed_version == "7.2.4",
                   f"installed_version {installation.installed_version!r}, expected the latest '7.2.4'")
            return installation

        call(f"install_provider ({AUTO_PROVIDER} latest, auto)", install_auto)

        def list_two():
            installations = client.list_installations()
            expect(sorted(i.canonical for i in installations) == sorted([STORE_PROVIDER, AUTO_PROVIDER]),
                   f"installed {[i.canonical for i in installations]}")
            return installations

        call("list_installations (2 installed)", list_two)

        def upgrade():
            installation = client.upgrade_provider(STORE_PROVIDER, "1.5.0")
            expect(installation.installed_version == "1.5.0",
                   f"installed_version {installation.installed_version!r}, expected '1.5.0'")
            return installation

        call(f"upgrade_provider ({STORE_PROVIDER} 1.5.0)", upgrade)

        def downgrade():
            installation = client.downgrade_provider(STORE_PROVIDER, "1.4.2")
            expect(installation.installed_version == "1.4.2",
                   f"installed_version {installation.installed_version!r}, expected '1.4.2'")
            return installation

        call(f"downgrade_provider ({STORE_PROVIDER} 1.4.2)", downgrade)

        def upgrade_latest():
            installation = client.upgrade_provider(STORE_PROVIDER)
            expect(installation.installed_version == "1.5.0",
                   f"installed_version {installation.installed_version!r}, expected the latest '1.5.0'")
            return installation

        call(f"upgrade_provider ({STORE_PROVIDER} latest)", upgrade_latest)

        def uninstall():
            client.uninstall_provider(STORE_PROVIDER)

        call(f"uninstall_provider ({STORE_PROVIDER})", uninstall)

        def uninstall_cascade():
            client.uninstall_provider(AUTO_PROVIDER, cascade=True)

        call(f"uninstall_provider ({AUTO_PROVIDER}, cascade)", uninstall_cascade)

        def list_after():
            installations = client.list_installations()
            expect(installations == [], f"still installed: {[i.canonical for i in installations]}")
            return installations

        call("list_installations (after uninstall)", list_after)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the sandbox's base URL, e.g. http://127.0.0.1:8080")
    parser.add_argument("--verbose", action="store_true", help="print every raw answer, not only rejected ones")
    parser.add_argument("--only", choices=[AGENTSTACK, PRAGMATIKS], help="run one SDK's calls only")
    args = parser.parse_args()

    url = args.url.rstrip("/")
    rec = Recorder(args.verbose)
    if args.only in (None, AGENTSTACK):
        asyncio.run(check_agentstack(url, rec))
    if args.only in (None, PRAGMATIKS):
        check_pragmatiks(url, rec)
    print(f"{rec.passed} passed, {rec.failed} failed", flush=True)
    return 0 if rec.failed == 0 and rec.passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
