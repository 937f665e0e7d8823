"""Quickstart: learn facial expressions from a folder of face photos, then label a new photo.

Not a study: the shortest complete use of aufeat. The folder holds one sub-folder per
label (``PATH/happy/*.jpg``, ``PATH/sad/*.jpg``, ...; see ``aufeat.load_image_folder``).
``aufeat.make_pipeline("best")`` does the rest: each photo's face is found and aligned with
dlib (detection, 68 landmarks, the canonical 48-pixel face), turned into HOG + LBP + landmark
geometry, and a linear SVM is trained on it and on its mirror image; the new photo goes
through the same steps and gets a label. The few lines between the ``---`` markers in
``main`` are the whole recipe.

Run::

    python examples/quickstart.py                     # synthetic faces written to a temp folder
    python examples/quickstart.py --data PATH         # your folder; one photo is held out
    python examples/quickstart.py --data PATH --subject-pattern '^(S[0-9]+)_'  # ... its person
    python examples/quickstart.py --data PATH --photo NEW.jpg

Without ``--data`` it writes SYNTHETIC faces (the scikit-image astronaut, warped per
expression) in that layout, trains on them and labels a photo of a synthetic person it has
never seen. With ``--data`` the last photo of the folder is held out; its true label is
a check of the model only if no photo of the same person was trained on. Give
``--subject-pattern`` (a regular expression finding the person in each file name, as in
``aufeat.load_image_folder``) and every photo of that person is held out; without it the
folder has no person ids, and the output says that the person may be in the training
data. The prediction is printed and written to ``--out``/prediction.json (default
``./example-output/quickstart``). It is a demonstration, not an accuracy claim: synthetic
faces are easier than real ones, and one photo says little; ``aufeat-bench`` and
``examples/au_intensity_classical.py`` show how to measure accuracy honestly.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
from pathlib import Path

import numpy as np
from _common import add_common_arguments, error, output_folder, write_json

NAME = "quickstart"


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog=f"{NAME}.py",
        description="Train on a folder of labelled face photos; label a new one.")
    parser.add_argument("--data", metavar="PATH",
                        help="folder with one sub-folder of photos per label; default: "
                             "synthetic faces written to a temporary folder")
    parser.add_argument("--photo", metavar="FILE",
                        help="the new photo to label (default: one photo held out of --data)")
    parser.add_argument("--subject-pattern", metavar="REGEX",
                        help="regular expression finding the person in each file name of "
                             "--data (its group 'subject', else its first group), e.g. "
                             "'^(S[0-9]+)_': every photo of the held-out photo's person is then "
                             "held out; default: no person ids")
    add_common_arguments(parser, NAME, quick_help="fewer synthetic faces (CI)",
                         out_help="where prediction.json goes")
    args = parser.parse_args(argv)
    if args.subject_pattern is not None:
        if not args.data:
            parser.error("--subject-pattern reads the file names of --data; give --data PATH too")
        try:
            re.compile(args.subject_pattern)
        except re.error as exc:
            parser.error(f"--subject-pattern {args.subject_pattern!r} is not a regular "
                         f"expression: {exc}")
    return args


def write_synthetic_folder(root: Path, quick: bool, seed: int):
    """Write SYNTHETIC faces as ``root/faces/<emotion>/<subject>_<n>.png``.

    Returns the folder, and the photos of one more synthetic person (not in the folder)
    with their true labels.
    """
    import cv2

    import aufeat

    n_subjects, per_subject = (6, 14) if quick else (16, 21)
    data = aufeat.make_synthetic_faces(n_subjects + 1, per_subject, random_state=seed)
    images = data.load_images()
    new_person = data.subject == data.subject[-1]
    new_photos = []
    for i, (image, subject, emotion) in enumerate(zip(images, data.subject, data.emotion,
                                                      strict=True)):
        path = (root / "new_person" / f"photo{i}.png" if new_person[i]
                else root / "faces" / emotion / f"{subject}_{i:03d}.png")
        path.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(path), cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
        if new_person[i]:
            new_photos.append((str(path), str(emotion)))
    return root / "faces", new_photos


def choose_photo(args, folder):
    """The user's photo: --photo, else the last photo of the folder (then left out of training)."""
    import aufeat

    if args.photo:
        return args.photo, None
    paths = aufeat.load_image_folder(folder)
    return str(paths.paths[-1]), str(paths.emotion[-1])


def not_this_photo(paths, photo):
    """Mask of the paths that are not ``photo`` (compared as resolved files)."""
    photo = os.path.realpath(photo)
    return np.array([os.path.realpath(p) != photo for p in paths], dtype=bool)


def not_this_person(data, photo):
    """Mask of the photos to train on: not ``photo``, nor, where there are person ids, its person.

    Returns the mask and the held-out person's id (None when ``photo`` is not in ``data``
    or ``data`` has no person ids: each image is then its own subject). Raises ValueError
    when no photo is left to train on (every photo is of the held-out person).
    """
    from aufeat.evaluation.protocols import has_person_ids

    keep = not_this_photo(data.paths, photo)
    if keep.all() or not has_person_ids(data.subject):
        return keep, None
    person = str(data.subject[np.flatnonzero(~keep)[0]])
    keep &= np.asarray(data.subject).astype(str) != person
    if not keep.any():
        raise ValueError(f"every photo of --data is of person {person}, the held-out photo's "
                         "person: no photo is left to train on; add other people's photos, or "
                         "leave out --subject-pattern")
    return keep, person


def check_paths(args):
    for flag, path, kind in (("--data", args.data, "folder"), ("--photo", args.photo, "file")):
        if path and not (Path(path).is_dir() if kind == "folder" else Path(path).is_file()):
            return f"{flag} {path}: no such {kind}"
    return None


def main(argv=None):
    args = parse_args(argv)
    problem = check_paths(args)
    if problem:
        return error(NAME, problem)
    out = output_folder(args.out)  # before the work: a folder that cannot be made stops here
    import aufeat

    with tempfile.TemporaryDirectory() as tmp:
        try:
            if args.data:
                folder, others = args.data, []
                photo, truth = choose_photo(args, folder)
            else:
                folder, others = write_synthetic_folder(Path(tmp), args.quick, args.seed)
                pick = np.random.default_rng(args.seed).integers(len(others))
                photo, truth = (args.photo, None) if args.photo else others[pick]
                print("note: SYNTHETIC faces (one real face, warped per expression), written to "
                      "a temporary folder; they are easier than real faces. Use --data PATH "
                      "for your own photos.")

            # --- the recipe ---------------------------------------------------------------
            data = aufeat.load_image_folder(folder,             # label = sub-folder name
                                            subject_pattern=args.subject_pattern)
            keep, person = not_this_person(data, photo)         # never train on the new photo
            data = data[keep]                                   # (nor on its person's photos)
            model = aufeat.make_pipeline("best", task="emotion")
            model.fit(data, data.emotion, model__groups=data.subject)  # photos without a
            prediction = str(model.predict([photo])[0])          # face are left out
            # -------------------------------------------------------------------------------
        except (OSError, ValueError) as exc:  # unreadable folder, no images, one label...
            return error(NAME, exc)
        missing = model.named_steps["model"].n_missing_fit_
        labels = data.emotion
        print(f"trained on {len(data) - missing} faces ({missing} photos without a face left "
              f"out), labels: {', '.join(sorted(set(labels)))}")
        if prediction == "":
            return error(NAME, f"no face found in {photo}", code=1)
        shown = os.path.relpath(photo, tmp) if str(photo).startswith(tmp) else str(photo)
        held_out = int((~keep).sum())
        if person is not None:
            print(f"held out all {held_out} photos of person {person} (the photo's own "
                  "included): none of them was trained on")
        elif args.data and held_out:
            print("note: the folder has no person ids, so only this photo was held out: other "
                  "photos of this person may be in the training data, and the prediction is "
                  "no check of the model on a new person (give --subject-pattern to hold out "
                  "all of a person's photos)")
        print(f"prediction for {shown}: {prediction}"
              + (f" (true label: {truth})" if truth is not None else ""))
        record = {"photo": shown, "prediction": prediction, "truth": truth,
                  "n_train": len(data) - missing, "labels": sorted(set(labels.tolist())),
                  "synthetic": not args.data, "held_out": held_out, "held_out_person": person}
        if others:  # every photo of the unseen synthetic person, for a fairer picture
            paths, truths = zip(*others, strict=True)
            predicted = model.predict(list(paths))
            hits = predicted == np.asarray(truths)
            record["new_person_accuracy"] = float(hits.mean())
            print(f"all {len(paths)} photos of this new synthetic person "
                  f"({int((predicted != '').sum())} with a face found): {int(hits.sum())} "
                  "right; synthetic faces are easier than real ones")
    write_json(out / "prediction.json", record, indent=2)
    print(f"wrote {out / 'prediction.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
