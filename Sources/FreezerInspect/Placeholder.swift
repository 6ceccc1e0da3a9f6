public enum FreezerInspectPlaceholder {}
