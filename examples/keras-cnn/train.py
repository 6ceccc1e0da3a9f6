"""Trains a small Keras CNN (BatchNormalization, Dropout) for a few steps on seeded random data and writes
model.keras. Needs tensorflow-cpu and keras; run from this directory: python train.py."""
import os
import pathlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import keras  # noqa: E402
import numpy as np  # noqa: E402

keras.utils.set_random_seed(0)
inputs = keras.Input((12, 12, 3), name="image")
x = keras.layers.Conv2D(8, 3, padding="same", use_bias=False)(inputs)
x = keras.layers.BatchNormalization()(x)
x = keras.layers.ReLU()(x)
x = keras.layers.MaxPooling2D()(x)
x = keras.layers.Conv2D(16, 3, padding="same")(x)
x = keras.layers.BatchNormalization()(x)
x = keras.layers.ReLU()(x)
x = keras.layers.GlobalAveragePooling2D()(x)
x = keras.layers.Dropout(0.3)(x)
outputs = keras.layers.Dense(4, name="scores")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
rng = np.random.default_rng(0)
images = rng.normal(0.5, 2.0, (64, 12, 12, 3)).astype("float32")
labels = rng.integers(0, 4, 64)
model.fit(images, labels, batch_size=16, epochs=3, verbose=0)
model.save(pathlib.Path(__file__).parent / "model.keras")
print("wrote model.keras")
