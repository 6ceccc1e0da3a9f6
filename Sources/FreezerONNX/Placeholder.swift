public enum FreezerONNXPlaceholder {}
