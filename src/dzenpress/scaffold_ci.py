"""`dzenpress init --ci github|gitlab`: a CI recipe that runs `sync` on a schedule and on every push, keeps
`.dzenpress/` (image cache, build state, import record, deploy records, ping log, IndexNow key) in the CI
cache, publishes, and commits the articles it imported back to the repository (without that, the next run
would start without them while the import record says they are done)."""

from __future__ import annotations

from pathlib import Path

from dzenpress.errors import DzenpressError
from dzenpress.fsio import atomic_write

KINDS = ("github", "gitlab")
_FILES = {"github": ".github/workflows/dzenpress.yml", "gitlab": ".gitlab-ci.yml"}

_GITHUB = """\
# dzenpress: import new articles from Dzen, build, check, deploy, ping. Hourly and on every push.
# Secrets (Settings → Secrets and variables → Actions), only those your [deploy] target needs:
#   SSH_PRIVATE_KEY and SSH_KNOWN_HOSTS for rsync/SFTP (identity = "~/.ssh/dzenpress",
#   known_hosts = "~/.ssh/known_hosts" in dzenpress.toml); AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for
#   S3; a GitHub Pages branch of this repository uses the workflow's own token (token_env = "GITHUB_TOKEN").
name: dzenpress sync

on:
  push:
    branches: [main]
  schedule:
    - cron: "17 * * * *"
  workflow_dispatch:

permissions:
  contents: write

concurrency:
  group: dzenpress-sync
  cancel-in-progress: false

jobs:
  sync:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    env:
      AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}
      AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
      GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}
      SSH_PRIVATE_KEY: ${{ secrets.SSH_PRIVATE_KEY }}
      SSH_KNOWN_HOSTS: ${{ secrets.SSH_KNOWN_HOSTS }}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
          cache: pip
      - name: Keep .dzenpress/ between runs
        uses: actions/cache@v4
        with:
          path: .dzenpress
          key: dzenpress-${{ github.run_id }}
          restore-keys: dzenpress-
      - name: Install dzenpress
        run: python -m pip install dzenpress
      - name: SSH key, outside the site
        run: |
          if [ -n "$SSH_PRIVATE_KEY" ]; then
            install -d -m 700 ~/.ssh
            printf '%s\\n' "$SSH_PRIVATE_KEY" > ~/.ssh/dzenpress
            chmod 600 ~/.ssh/dzenpress
            printf '%s\\n' "$SSH_KNOWN_HOSTS" > ~/.ssh/known_hosts
          fi
      - name: Sync
        run: dzenpress sync
      - name: Commit imported articles
        run: |
          git add content public
          if ! git diff --cached --quiet; then
            git -c user.name="dzenpress" -c user.email="dzenpress@users.noreply.github.com" \\
              commit -m "dzenpress sync: articles imported from Dzen"
            git push
          fi
"""

_GITLAB = """\
# dzenpress: import new articles from Dzen, build, check, deploy, ping, on every push to the default branch
# and on a schedule (Build → Pipeline schedules → New schedule, e.g. "17 * * * *").
# CI/CD variables (masked), only those your [deploy] target needs: SSH_PRIVATE_KEY and SSH_KNOWN_HOSTS
# for rsync/SFTP (identity = "~/.ssh/dzenpress", known_hosts = "~/.ssh/known_hosts" in dzenpress.toml);
# AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for S3; DZENPRESS_PUSH_TOKEN (a project access token with
# write_repository) to commit imported articles back.
dzenpress-sync:
  image: python:3.12
  resource_group: dzenpress-sync
  rules:
    - if: $CI_PIPELINE_SOURCE == "schedule"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_COMMIT_MESSAGE !~ /dzenpress sync:/
  cache:
    key: dzenpress
    paths:
      - .dzenpress/
  before_script:
    - apt-get update -qq && apt-get install -y -qq rsync openssh-client git >/dev/null
    - python -m pip install dzenpress
    - |
      if [ -n "$SSH_PRIVATE_KEY" ]; then
        install -d -m 700 ~/.ssh
        printf '%s\\n' "$SSH_PRIVATE_KEY" > ~/.ssh/dzenpress
        chmod 600 ~/.ssh/dzenpress
        printf '%s\\n' "$SSH_KNOWN_HOSTS" > ~/.ssh/known_hosts
      fi
  script:
    - dzenpress sync
    - |
      git add content public
      if [ -n "$DZENPRESS_PUSH_TOKEN" ] && ! git diff --cached --quiet; then
        git -c user.name="dzenpress" -c user.email="dzenpress@localhost" \\
          commit -m "dzenpress sync: articles imported from Dzen"
        git push "https://oauth2:${DZENPRESS_PUSH_TOKEN}@${CI_SERVER_HOST}/${CI_PROJECT_PATH}.git" \\
          "HEAD:${CI_COMMIT_REF_NAME}"
      fi
"""


def recipe(kind: str) -> tuple[str, str]:
    """(file path in the site, its text) for `kind`."""
    if kind not in KINDS:
        raise DzenpressError(f"--ci: {kind!r} is not one of {', '.join(KINDS)}")
    return _FILES[kind], _GITHUB if kind == "github" else _GITLAB


def add_ci(root: Path, kind: str) -> Path:
    """Write the recipe into the site; never over an existing file."""
    rel, text = recipe(kind)
    target = root / rel
    if target.exists():
        raise DzenpressError("already exists; dzenpress init never overwrites files", path=target)
    atomic_write(target, text)
    return target
