"""Configuration: find slospec.toml or [tool.slospec], validate it, and answer 'is rule X on?'."""

from __future__ import annotations

from dataclasses import field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from slospec.errors import SlospecError
from slospec.records import FACTORY, record

DEFAULT_INCLUDE = ("**/*.slo", "**/*.slo.yaml", "**/*.slo.yml", "**/*.yaml", "**/*.yml", "**/*.json")
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
DEFAULT_MAX_VALUES = 200_000


# A file that does not parse or breaks the schema is never linted by the other rules, so
# narrowing --select must not hide why (like ruff's syntax errors); only --ignore can.
ALWAYS_ON = ("SLO001", "SLO002")


class ConfigError(SlospecError):
    """A configuration problem: exit status 2, message names the file and the key."""


@record
class Config:
    """The settings one lint runs with: the file's, then the command line's."""

    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    strict: bool = False
    format: str = "text"
    severity: dict[str, str] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    operations: dict[str, Any] = field(default_factory=dict)
    # [prometheus]: how compile writes Prometheus rules (long-windows, packing, PrometheusRule).
    prometheus: dict[str, Any] = field(default_factory=dict)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    max_values: int = DEFAULT_MAX_VALUES
    jobs: int | None = None
    # The per-file result cache (slospec.lint.cache); `--no-cache` or `cache = false` turn it off.
    cache: bool = True
    # Organisation policy ([[policy]], [[waiver]], [[budget-policy]]): a policy.PolicySet, or None.
    policy: Any = None
    # `exclude` applies to files named on the command line too (ruff's force-exclude; the
    # pre-commit hooks pass --force-exclude, as pre-commit names every file).
    force_exclude: bool = False

    def __init__(
        self,
        path: Path | None = None,
        root: Path = FACTORY,
        include: tuple[str, ...] = DEFAULT_INCLUDE,
        exclude: tuple[str, ...] = (),
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        strict: bool = False,
        format: str = "text",
        severity: dict[str, str] = FACTORY,
        rules: dict[str, dict[str, Any]] = FACTORY,
        operations: dict[str, Any] = FACTORY,
        prometheus: dict[str, Any] = FACTORY,
        max_file_size: int = DEFAULT_MAX_FILE_SIZE,
        max_values: int = DEFAULT_MAX_VALUES,
        jobs: int | None = None,
        cache: bool = True,
        policy: Any = None,
        force_exclude: bool = False,
    ) -> None:
        self.__dict__.update(
            path=path,
            root=Path.cwd() if root is FACTORY else root,
            include=include,
            exclude=exclude,
            select=select,
            ignore=ignore,
            strict=strict,
            format=format,
            severity={} if severity is FACTORY else severity,
            rules={} if rules is FACTORY else rules,
            operations={} if operations is FACTORY else operations,
            prometheus={} if prometheus is FACTORY else prometheus,
            max_file_size=max_file_size,
            max_values=max_values,
            jobs=jobs,
            cache=cache,
            policy=policy,
            force_exclude=force_exclude,
        )

    def with_cli(self, select: str | None, ignore: str | None, strict: bool) -> Config:
        """CLI flags win over the file: --select replaces, --ignore adds."""
        changes: dict[str, Any] = {}
        if select:
            changes["select"] = _split(select)
        if ignore:
            changes["ignore"] = self.ignore + _split(ignore)
        if strict:
            changes["strict"] = True
        config = replace(self, **changes)
        config.check_selectors()
        return config

    def check_selectors(self) -> None:
        from slospec import rules

        for where, selectors in (("select", self.select), ("ignore", self.ignore)):
            for selector in selectors:
                if not rules.valid_selector(selector):
                    raise ConfigError(
                        f"{where}: {selector!r} is not a rule code, code prefix or rule name"
                        f"{_rule_hint(selector)} (see `slospec rules`)"
                    )

    def enabled(self, rule: Any) -> bool:
        # Asked once per rule per spec: the answer is worked out once per rule and configuration.
        memo = self.__dict__.get("_enabled_memo")
        if memo is None:
            memo = {}
            object.__setattr__(self, "_enabled_memo", memo)
        answer = memo.get(rule.code)
        if answer is None or answer[0] != rule.name:
            answer = memo[rule.code] = (rule.name, self._enabled(rule))
        return answer[1]

    def _enabled(self, rule: Any) -> bool:
        from slospec import rules

        if any(rules.matches(s, rule) for s in self.ignore):
            return False
        if rule.code in ALWAYS_ON:
            return True
        if not self.select or any(s.upper() == "ALL" for s in self.select):
            return True
        return any(rules.matches(s, rule) for s in self.select)

    def options_for(self, rule: Any) -> dict[str, Any]:
        overrides = self.rules.get(rule.name) or self.rules.get(rule.code) or {}
        return {**rule.options, **overrides}


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def discover(start: Path | None = None) -> Path | None:
    """The nearest slospec.toml, or pyproject.toml that has [tool.slospec], upwards from start."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "slospec.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            import tomllib

            try:
                with pyproject.open("rb") as fh:
                    if "slospec" in tomllib.load(fh).get("tool", {}):
                        return pyproject
            except (OSError, tomllib.TOMLDecodeError):
                continue  # not ours to judge: a broken pyproject without our table
    return None


class Finder:
    """The configuration of each linted file: the nearest one from its folder upwards, loaded
    once per file found and adjusted by the command line (`--select`, ...)."""

    def __init__(self, adjust: Any = None) -> None:
        self._adjust = adjust or (lambda config: config)
        self._by_folder: dict[Path, Config] = {}
        self._by_file: dict[Path | None, Config] = {}

    def __call__(self, path: str) -> Config:
        target = Path(path).absolute()
        try:
            folder = target if target.is_dir() else target.parent
        except OSError:  # a name the system refuses (too long, ...): reading it reports why
            folder = target.parent
        found = self._by_folder.get(folder)
        if found is None:
            config_path = discover(folder)
            found = self._by_file.get(config_path)
            if found is None:
                found = self._by_file[config_path] = self._adjust(load(config_path, search=False))
            self._by_folder[folder] = found
        return found


def load(path: Path | None = None, *, search: bool = True) -> Config:
    """Load the given file, or the discovered one, or the defaults."""
    if path is None and search:
        path = discover()
    if path is None:
        return Config()
    from slospec.source.reading import InputError, read_bounded

    try:
        raw = read_bounded(str(path), 1024 * 1024)  # never /dev/zero's endless bytes, never a FIFO's wait
    except InputError as exc:
        raise ConfigError(f"cannot read configuration: {exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if text.replace("\r\n", "\n").strip(" \t\n"):  # TOML's own whitespace: an empty file is {}
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    else:
        data = {}
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("slospec", {})
    return from_data(data, path)


def from_data(data: dict[str, Any], path: Path | None = None) -> Config:
    where = str(path) if path else "configuration"
    data = _policy_dates(data)
    _validate(data, where)
    from slospec import rules as registry

    rule_options: dict[str, dict[str, Any]] = {}
    for key, options in data.get("rules", {}).items():
        rule = registry.get(key)
        if rule is None:
            raise ConfigError(f"{where}: rules.{key}: no such rule{_rule_hint(key)} (see `slospec rules`)")
        checked = {}
        for option, value in options.items():
            if option not in rule.options:
                known = ", ".join(sorted(rule.options)) or "none"
                raise ConfigError(f"{where}: rules.{key}.{option}: unknown option (options of {rule.name}: {known})")
            checked[option] = _typed(value, rule.options[option], f"{where}: rules.{key}.{option}")
        rule_options[rule.name] = checked
    severity: dict[str, str] = {}
    for key, level in data.get("severity", {}).items():
        found = registry.get(key)
        if found is None:
            raise ConfigError(f"{where}: severity.{key}: no such rule{_rule_hint(key)} (see `slospec rules`)")
        severity[found.code] = level
    config = Config(
        path=path,
        root=path.parent.resolve() if path else Path.cwd(),
        include=tuple(data.get("include", DEFAULT_INCLUDE)),
        exclude=tuple(data.get("exclude", ())),
        select=tuple(data.get("select", ())),
        ignore=tuple(data.get("ignore", ())),
        strict=bool(data.get("strict", False)),
        format=data.get("format", "text"),
        severity=severity,
        rules=rule_options,
        operations=dict(data.get("operations", {})),
        prometheus=dict(data.get("prometheus", {})),
        max_file_size=int(data.get("max-file-size", DEFAULT_MAX_FILE_SIZE)),
        max_values=int(data.get("max-values", DEFAULT_MAX_VALUES)),
        jobs=data.get("jobs"),
        cache=bool(data.get("cache", True)),
        policy=_policies(data, where),
        force_exclude=bool(data.get("force-exclude", False)),
    )
    try:
        config.check_selectors()
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    return config


def _policy_dates(data: dict[str, Any]) -> dict[str, Any]:
    """A waiver's TOML date as ISO text for the schema (only when the tables are there)."""
    if "waiver" not in data:
        return data
    from slospec.specmodel import policy

    return policy.normalise(data)


def _policies(data: dict[str, Any], where: str) -> Any:
    """[[policy]], [[waiver]], [[budget-policy]] as a policy.PolicySet (None without them)."""
    if not any(key in data for key in ("policy", "waiver", "budget-policy")):
        return None
    from slospec.specmodel import policy

    try:
        return policy.from_data(data, where) or None
    except policy.PolicyError as exc:
        raise ConfigError(str(exc)) from None


def _typed(value: Any, default: Any, where: str) -> Any:
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false, got {value!r}")
        return value
    if isinstance(default, (int, Decimal, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{where}: expected a number, got {value!r}")
        return Decimal(str(value))
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected a string, got {value!r}")
        if _looks_like_duration(default):
            from slospec.specmodel.quantities import Duration, QuantityError

            try:
                Duration.parse(value)
            except QuantityError as exc:
                raise ConfigError(f"{where}: {exc}") from None
        return value
    return value


def _looks_like_duration(text: str) -> bool:
    from slospec.specmodel.quantities import DURATION_RE

    return bool(DURATION_RE.match(text))


def _validate(data: dict[str, Any], where: str) -> None:
    from slospec.specmodel import fastcheck

    valid = fastcheck.checker("schema/config.schema.json")
    if valid is not None and valid(data):
        return  # jsonschema (60 ms to import) is only needed to explain a bad config
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    from slospec import resources

    validator = Draft202012Validator(resources.load_json("schema/config.schema.json"))
    error = best_match(validator.iter_errors(data))
    if error is not None:
        from slospec.config.messages import explain

        location, message = explain(error)
        raise ConfigError(f"{where}: {location}: {message}")


def for_paths(config_path: str | None, paths: tuple[str, ...] = ()) -> Config:
    """The one configuration a command runs with: `--config` when given, else the one the named
    specs live under (found from each one's folder upwards, as lint finds it), else the current
    folder's. Specs under different configurations are an error: one run, one set of defaults."""
    if config_path:
        return load(Path(config_path))
    found: dict[Path | None, str] = {}
    for path in paths:
        if path == "-":
            continue
        target = Path(path)
        try:
            folder = target if target.is_dir() else target.parent
        except OSError:
            folder = target.parent
        found.setdefault(discover(folder), path)
    if len(found) > 1:
        (first, a), (second, b) = [(str(c) if c else "no configuration file", p) for c, p in found.items()][:2]
        raise ConfigError(
            f"{a} and {b} are under different configurations ({first}, {second}); "
            "run the command once per project, or pass --config"
        )
    if found:
        return load(next(iter(found)), search=False)
    return load(None)


def _rule_hint(wrong: str) -> str:
    """`; did you mean 'perfect-target'?` for a mistyped rule code or name, else ""."""
    from slospec import rules

    key = wrong.strip().upper()
    if key.startswith("SLO") and rules.valid_selector("SLO" + key[3:].replace("O", "0")):
        return f"; did you mean {'SLO' + key[3:].replace('O', '0')!r}?"  # the letter O for a zero
    found = rules.suggest(wrong, limit=1)
    return f"; did you mean {found[0]!r}?" if found else ""
