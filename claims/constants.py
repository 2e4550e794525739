"""Name the fixed vocabularies the CLI needs for its argparse choices, without importing the store.

Building the command-line parser must stay cheap (the eval scorer starts one
``python -m claims extract`` process per document), so values that
``claims.store`` validates against but the parser also offers as choices live
here, in a module that imports nothing.
"""

# Sort orders Store.query_claims accepts (``list --order``, the dashboard's sort box).
ORDERS = ("document", "newest", "oldest", "figure", "id", "reviewed")

# Admiralty-style source reliability: A completely reliable ... F cannot be judged.
PUBLISHER_GRADES: dict[str, str] = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}

__all__ = ["ORDERS", "PUBLISHER_GRADES"]
