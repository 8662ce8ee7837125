"""Show a built dataset: its summary as text and a bar chart of class counts per split."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graphkit.datasets.splits import SPLIT_NAMES
from graphkit.output import table


def summary_text(summary: dict[str, Any]) -> str:
    lines = [
        f"dataset {summary['name']}: {summary['size']} images, {len(summary['classes'])} classes, "
        f"{summary['artists']} artist groups; labels via {summary['label_via']}",
        f"query {summary['query_name']} (sha256 {summary['query_hash'][:12]}), "
        f"created {summary['created_at']}",
        f"files in {summary['out_dir']}",
        "",
    ]
    per_split = summary["split_class_counts"]
    rows = [
        [label, summary["class_counts"][label], *(per_split[s].get(label, 0) for s in SPLIT_NAMES)]
        for label in summary["classes"]
    ]
    rows.append(["total", summary["size"], *(summary["split_counts"][s] for s in SPLIT_NAMES)])
    lines.append(table(("class", "images", *SPLIT_NAMES), rows))
    dropped = summary["dropped"]
    lines.append("")
    lines.append("dropped:")
    lines.append(f"  missing or unreadable image files: {len(dropped['missing_images'])}")
    for item in dropped["missing_images"][:20]:
        lines.append(f"    {item['artwork_id']}  {item['image_path']}")
    if len(dropped["missing_images"]) > 20:
        lines.append(f"    ... and {len(dropped['missing_images']) - 20} more (see summary.json)")
    conflicts = dropped["label_conflicts"]
    lines.append(
        f"  images labelled with two movements: {len(conflicts)} "
        f"({sum(len(c['artwork_ids']) for c in conflicts)} rows)"
    )
    for item in conflicts[:20]:
        lines.append(f"    {item['image_sha256'][:12]}  {' / '.join(item['labels'])}")
    if len(conflicts) > 20:
        lines.append(f"    ... and {len(conflicts) - 20} more (see summary.json)")
    rare = dropped["rare_classes"]
    lines.append(
        f"  classes under {summary['arguments']['min_per_class']} images: {len(rare)}"
        + (f" ({', '.join(f'{k} {v}' for k, v in sorted(rare.items()))})" if rare else "")
    )
    if dropped.get("over_max_per_class"):
        lines.append(f"  over --max-per-class: {dropped['over_max_per_class']}")
    if summary.get("multi_movement_artists") is not None:
        mm = summary["multi_movement_artists"]
        lines.append(
            f"  artists in more than one movement: {mm['artists']} ({mm['artworks']} imaged works)"
        )
    reviews = summary.get("reviews")
    if reviews and reviews["reviewed"]:
        lines.append(
            f"reviewed labels preferred: {reviews['reviewed']} reviewed ({reviews['corrected']} "
            f"corrected, {reviews['confirmed']} confirmed, {reviews['added']} added)"
        )
    dup = summary["duplicates"]
    lines.append(
        f"duplicates kept in one split: {dup['exact_duplicate_rows']} exact copies, "
        f"{dup['near_duplicate_pairs']} near-duplicate pairs "
        f"(phash <= {dup['phash_max_bits']} bits apart)"
    )
    for warning in summary.get("warnings", []):
        lines.append(f"warning: {warning}")
    return "\n".join(lines)


def class_chart(summary: dict[str, Any], path: Path) -> Path:
    """A horizontal stacked bar per class, one colour per split."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    classes = summary["classes"]
    per_split = summary["split_class_counts"]
    fig, ax = plt.subplots(figsize=(8, 1.5 + 0.35 * len(classes)))
    left = [0] * len(classes)
    for split in SPLIT_NAMES:
        values = [per_split[split].get(c, 0) for c in classes]
        ax.barh(classes, values, left=left, label=split)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel("images")
    ax.set_title(f"{summary['name']}: {summary['size']} images by class and split")
    ax.legend(loc="lower right")
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
