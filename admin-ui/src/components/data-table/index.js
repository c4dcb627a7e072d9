/**
 * A plain accessible table in wp-admin's look, for lists that need no sorting or filtering.
 * Numeric columns are right-aligned so digits line up.
 *
 * @param {Object}   props
 * @param {string}   props.caption  Says what the table lists (read by screen readers).
 * @param {Object[]} props.columns  { id, label, isNumeric, render( row ) }.
 * @param {Object[]} props.rows     Rows.
 * @param {Function} props.rowKey   Key of a row.
 */
export function DataTable( { caption, columns, rows, rowKey } ) {
	return (
		<table className="widefat striped shelfguard-data-table__table">
			<caption className="shelfguard-data-table__caption">{ caption }</caption>
			<thead>
				<tr>
					{ columns.map( ( column ) => (
						<th key={ column.id } scope="col" className={ column.isNumeric ? 'shelfguard-data-table__number' : undefined }>
							{ column.label }
						</th>
					) ) }
				</tr>
			</thead>
			<tbody>
				{ rows.map( ( row ) => (
					<tr key={ rowKey( row ) }>
						{ columns.map( ( column, index ) => {
							const Cell = index === 0 ? 'th' : 'td';
							return (
								<Cell key={ column.id } scope={ index === 0 ? 'row' : undefined } className={ column.isNumeric ? 'shelfguard-data-table__number' : undefined }>
									{ column.render ? column.render( row ) : row[ column.id ] }
								</Cell>
							);
						} ) }
					</tr>
				) ) }
			</tbody>
		</table>
	);
}
