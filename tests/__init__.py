"""The test suite.

Every store the tests make signs new node ids with one known key, as two deployments that
must agree on ids do (``LEADGRAPH_ID_KEY``): stores built apart — the two backends of a
differential test, a file reopened by a subprocess — name the same node alike, and the
golden answers hold fixed ids. Tests of the key itself unset it.
"""

import os

TEST_ID_KEY = "leadgraph-tests"
os.environ["LEADGRAPH_ID_KEY"] = TEST_ID_KEY
