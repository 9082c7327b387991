/** NGL (structure and map viewer) for StructureView. */
import * as NGL from 'ngl';

export default NGL;
