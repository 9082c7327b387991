/** plotly.js with the one trace type NodePlot uses (scatter3d): 1.7 MB minified instead of 3.6 MB. */
import Plotly from 'plotly.js/lib/core';
import scatter3d from 'plotly.js/lib/scatter3d';

Plotly.register([scatter3d]);
export default Plotly;
