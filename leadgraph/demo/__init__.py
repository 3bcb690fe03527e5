"""A fictional demo county (示例县) written as the lists a promotion centre would load.

>>> from leadgraph.demo import write_demo_lists, DEMO_SEED
"""

from leadgraph.demo.chain import Chain, load_chain
from leadgraph.demo.generator import DEMO_FILES, DEMO_SEED, build_world, write_demo_lists

__all__ = ["DEMO_SEED", "DEMO_FILES", "write_demo_lists", "build_world", "load_chain", "Chain"]
