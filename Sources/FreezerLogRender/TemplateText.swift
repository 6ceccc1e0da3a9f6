/// The normative text of template PhIMT0002, kept verbatim; its red/blue instruction notes are not here.
enum TemplateText {
    static let objective = """
        The purpose of this document is to delineate the information relative to the conversion of a trained model \
        into a frozen model, which is used in the inference phase. In Deep Learning (DL), a frozen model refers to a \
        trained model where the weights and parameters have been fixed or "frozen" after the training process. \
        This means that the model is no longer undergoing updates or learning from new data.
        """

    static let scope = """
        This template applies to the training model conversion into a frozen model through the Artificial Intelligence \
        - Functional Safety Management (AI-FSM).
        """

    static let tableIntroduction = "The following table collects the information relative to the model conversion:"

    static let acronymsIntroduction = "Below is a list of acronyms and abbreviations employed in this document:"

    /// The template's own list, always shown.
    static let templateAcronyms: [(String, String)] = [
        ("AI-FSM", "Artificial Intelligence - Functional Safety Management"),
        ("DL", "Deep Learning"),
    ]

    /// Further acronyms, listed when the document uses them (as a whole word).
    static let knownAcronyms: [(String, String)] = [
        ("BLAS", "Basic Linear Algebra Subprograms"),
        ("BN", "Batch Normalization"),
        ("CPU", "Central Processing Unit"),
        ("ID", "Identifier"),
        ("IR", "Intermediate Representation (ONNX IR version)"),
        ("L1, L2", "L1 (absolute value) and L2 (squared) weight regularization"),
        ("ONNX", "Open Neural Network Exchange"),
        ("OS", "Operating System"),
        ("RMS", "Root Mean Square"),
        ("SHA", "Secure Hash Algorithm (SHA-256: 256-bit digest)"),
        ("UTC", "Coordinated Universal Time"),
        ("atol", "absolute tolerance"),
        ("rtol", "relative tolerance"),
        ("ulp", "unit in the last place"),
    ]
}
