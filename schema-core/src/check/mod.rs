//! Hand-written model × snapshot → discrepancies. (Being implemented.)
