#!/bin/sh
# Render the README's pictures from a released sample PDF (needs poppler-utils):
#   sh docs/make-pictures.sh "outputs/2020-21-Q2/Police and Crime Plan Quarterly Update 2020-21 Q2 v1.0.pdf"
set -e
pdf=$1; here=$(dirname "$0")
pdftoppm -r 60 -png -f 1 -l 1 -singlefile "$pdf" "$here/cover"
pdftoppm -r 60 -png -f 2 -l 2 -singlefile "$pdf" "$here/contents"
pdftoppm -r 60 -png -f 6 -l 6 -singlefile "$pdf" "$here/commitment-page"
