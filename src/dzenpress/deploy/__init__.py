"""`dzenpress deploy`: publish the built site to a folder, an SSH host (rsync or SFTP), S3-compatible
storage or a GitHub Pages branch. run.py plans and orders; one module per kind of target does the moving."""

from dzenpress.deploy.engine import DeployError
from dzenpress.deploy.run import DeployReport, deploy

__all__ = ["DeployError", "DeployReport", "deploy"]
