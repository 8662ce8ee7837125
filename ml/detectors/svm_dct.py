"""svm-dct: DCT features of the whole image and at its own resolution (dct_features.py),
standardised, an RBF SVM whose C is chosen by cross-validation on the training split alone
(folds grouped by artist, so it is scored on artists it has not seen), and sigmoid-calibrated
probabilities."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from ml.detectors import preprocess
from ml.detectors.data import Split
from ml.detectors.dct_features import features
from ml.detectors.weights import balanced_weights


@dataclass(frozen=True)
class SVMTraining:
    c_grid: tuple[float, ...] = (4.0, 16.0, 64.0)
    gamma_grid: tuple[str | float, ...] = ("scale",)
    folds: int = 3
    crops_per_variant: int = 1  # random crops of each stored variant's canvas

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SVMDetector:
    """The standardiser and the calibrated SVM, saved together. (Not a Pipeline: scikit-learn's
    calibration cannot pass sample weights through one, and the weights matter here.)"""

    scaler: StandardScaler
    model: CalibratedClassifierCV

    def p_ai(self, x: np.ndarray) -> np.ndarray:
        """P(ai) for a feature matrix (dct_features.features)."""
        column = list(self.model.classes_).index(1)
        return self.model.predict_proba(self.scaler.transform(x))[:, column].astype(np.float32)


def training_matrix(
    train: Split, rng: np.random.Generator, crops_per_variant: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Features of random crops of every stored variant (with that variant's spectra), with
    labels, sources and artists."""
    parts, repeat = [], 0
    for v in range(train.images.shape[1]):
        for _ in range(crops_per_variant):
            crops = preprocess.random_crops(np.asarray(train.images[:, v]), rng)
            parts.append(features(crops, np.asarray(train.spectra[:, v])))
            repeat += 1
    x = np.concatenate(parts)
    tile = lambda a: np.concatenate([a] * repeat)  # noqa: E731
    artists = train.rows["artist_id"].fillna(train.rows["artwork_id"]).to_numpy()
    return x, tile(train.y), tile(train.sources), tile(artists)


def fit_svm(train: Split, training: SVMTraining, seed: int) -> tuple[SVMDetector, dict[str, Any]]:
    rng = np.random.default_rng(seed)
    x, y, sources, artists = training_matrix(train, rng, training.crops_per_variant)
    weights = balanced_weights(y, sources)
    scaler = StandardScaler().fit(x)
    x = scaler.transform(x)
    folds = list(GroupKFold(n_splits=training.folds).split(x, y, groups=artists))
    search = GridSearchCV(
        SVC(),
        {"C": list(training.c_grid), "gamma": list(training.gamma_grid)},
        scoring="balanced_accuracy",
        cv=folds,
        n_jobs=1,
    )
    search.fit(x, y, sample_weight=weights)
    best = search.best_params_
    calibrated = CalibratedClassifierCV(
        SVC(C=best["C"], gamma=best["gamma"]), method="sigmoid", cv=folds, ensemble=False
    )
    calibrated.fit(x, y, sample_weight=weights)
    report = {
        "best_params": dict(best),
        "cv_balanced_accuracy": round(float(search.best_score_), 4),
        "cv_results": [
            {
                "C": params["C"],
                "gamma": params["gamma"],
                "balanced_accuracy": round(float(score), 4),
            }
            for params, score in zip(
                search.cv_results_["params"], search.cv_results_["mean_test_score"], strict=True
            )
        ],
        "train_rows": len(y),
    }
    return SVMDetector(scaler, calibrated), report


def predict_svm(model: SVMDetector, crops: np.ndarray, spectra: np.ndarray) -> np.ndarray:
    """P(ai) for N x CROP x CROP x 3 uint8 centre crops and their images' block spectra."""
    if len(crops) == 0:
        return np.zeros(0, dtype=np.float32)
    return model.p_ai(features(crops, spectra))
