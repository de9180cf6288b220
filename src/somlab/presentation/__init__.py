"""What the report and the web pages both show, shaped for display: the conformity matrix and
headline, law pages, indicator figures and headlines, and the cached documents they are made of."""
